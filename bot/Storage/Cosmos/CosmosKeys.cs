using System.Security.Cryptography;
using System.Text;

namespace ClinicBot.Bot.Storage.Cosmos;

/// <summary>
/// Turns arbitrary storage keys into Cosmos DB item ids and partition key values.
/// </summary>
/// <remarks>
/// <para>Cosmos DB ids may not contain <c>/</c>, <c>\</c>, <c>?</c> or <c>#</c> and are at most 255 characters.
/// <see cref="ToId"/> keeps ASCII letters, digits, <c>.</c>, <c>_</c> and <c>-</c> and writes every other UTF-8 byte
/// as <c>*XX</c> (upper-case hex), percent-encoding style but with <c>*</c>: a literal <c>%</c> in an id is decoded
/// again by some HTTP stacks (ids travel in the URL path), <c>*</c> never is. Escaping is reversible
/// (<see cref="TryUnescape"/>) for ids of at most 255 characters. A longer escaped key keeps its first
/// <see cref="HashedPrefixLength"/> characters and gets <c>~</c> plus the SHA-256 of the original key (64 hex digits),
/// so it is unique and fits; <c>~</c> never appears in an unhashed id, so hashed and unhashed ids cannot collide.
/// The original key is stored in the document too, so nothing depends on reversing a hashed id.</para>
/// <para><see cref="PartitionOf"/> puts everything that belongs to one conversation or one user in one logical
/// partition: Bot Builder's keys are <c>{channel}/conversations/{id}</c>, <c>{channel}/users/{id}</c> and
/// <c>{channel}/conversations/{id}/users/{user}</c> (private conversation state), whose partition is the
/// first three segments. Any other key is its own partition.</para>
/// </remarks>
public static class CosmosKeys
{
    /// <summary>Cosmos DB's id length limit.</summary>
    public const int MaxIdLength = 255;

    /// <summary>How many characters of an over-long escaped key are kept before the hash suffix.</summary>
    public const int HashedPrefixLength = MaxIdLength - 1 - 64;

    private const char Escape = '*';
    private const char HashMarker = '~';

    /// <summary>A Cosmos DB-safe id for <paramref name="key"/>: reversible when short, hashed when long.</summary>
    public static string ToId(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var escaped = EscapeAll(key);
        if (escaped.Length <= MaxIdLength)
        {
            return escaped;
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
        var prefix = escaped[..HashedPrefixLength];
        return prefix + HashMarker + hash;
    }

    /// <summary>The partition key value for a storage key (already a safe id).</summary>
    public static string PartitionOf(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var segments = key.Split('/');
        if (segments.Length >= 3 && segments[1] is "conversations" or "users" && segments[0].Length > 0 && segments[2].Length > 0)
        {
            return ToId(string.Join('/', segments[0], segments[1], segments[2]));
        }

        return ToId(key);
    }

    /// <summary>Reverses <see cref="ToId"/> for ids that were not hashed.</summary>
    public static bool TryUnescape(string id, out string key)
    {
        ArgumentNullException.ThrowIfNull(id);
        key = string.Empty;
        if (id.Contains(HashMarker, StringComparison.Ordinal))
        {
            return false;
        }

        var bytes = new List<byte>(id.Length);
        for (var i = 0; i < id.Length; i++)
        {
            if (id[i] == Escape)
            {
                if (i + 2 >= id.Length)
                {
                    return false;
                }

                if (!byte.TryParse(id.AsSpan(i + 1, 2), System.Globalization.NumberStyles.HexNumber, null, out var b))
                {
                    return false;
                }

                bytes.Add(b);
                i += 2;
            }
            else if (IsSafe(id[i]))
            {
                bytes.Add((byte)id[i]);
            }
            else
            {
                return false;
            }
        }

        key = Encoding.UTF8.GetString(bytes.ToArray());
        return true;
    }

    private static string EscapeAll(string key)
    {
        var builder = new StringBuilder(key.Length + 16);
        foreach (var b in Encoding.UTF8.GetBytes(key))
        {
            var c = (char)b;
            if (b < 0x80 && IsSafe(c))
            {
                builder.Append(c);
            }
            else
            {
                builder.Append(Escape).Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }

    private static bool IsSafe(char c) => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-';
}
