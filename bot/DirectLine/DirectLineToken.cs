using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace ClinicBot.Bot.DirectLine;

/// <summary>What a built-in Direct Line token grants: one conversation, as one user, until it expires.</summary>
public sealed record DirectLineGrant(
    [property: JsonPropertyName("cid")] string ConversationId,
    [property: JsonPropertyName("uid")] string UserId,
    [property: JsonPropertyName("pid")] string? VerifiedPatientId,
    [property: JsonPropertyName("nm")] string? VerifiedName,
    [property: JsonPropertyName("exp")] long ExpiresUnixSeconds)
{
    [JsonIgnore]
    public DateTimeOffset ExpiresAt => DateTimeOffset.FromUnixTimeSeconds(ExpiresUnixSeconds);
}

public enum TokenCheck
{
    Valid,
    Missing,
    Invalid,
    Expired,
    WrongConversation,
}

/// <summary>
/// Issues and checks built-in Direct Line tokens: <c>cbdl1.base64url(json grant).base64url(HMAC-SHA256)</c>.
/// Tokens are stateless, so a token stays valid until its own expiry even after it was refreshed (Web Chat
/// keeps using the old one for a moment after a refresh), and survive restarts as long as the key does.
/// </summary>
public sealed class DirectLineTokenService
{
    private const string Prefix = "cbdl1.";
    private readonly byte[] _key;
    private readonly TimeProvider _time;
    private readonly TimeSpan _lifetime;

    public DirectLineTokenService(DirectLineSigningKey key, IOptions<DirectLineOptions> options, TimeProvider time)
    {
        _key = key.Bytes;
        _time = time;
        _lifetime = TimeSpan.FromMinutes(options.Value.TokenLifetimeMinutes);
    }

    public TimeSpan Lifetime => _lifetime;

    /// <summary>A grant for a new conversation with a fresh id.</summary>
    public DirectLineGrant NewConversation(string userId, string? verifiedPatientId = null, string? verifiedName = null) =>
        new(NewConversationId(), userId, verifiedPatientId, verifiedName, Expiry());

    /// <summary>The same grant with a fresh expiry.</summary>
    public DirectLineGrant Renew(DirectLineGrant grant) => grant with { ExpiresUnixSeconds = Expiry() };

    public string Issue(DirectLineGrant grant)
    {
        var payload = Base64UrlTextEncoder.Encode(JsonSerializer.SerializeToUtf8Bytes(grant));
        return Prefix + payload + "." + Sign(payload);
    }

    /// <summary>Seconds until the grant expires (never negative).</summary>
    public int ExpiresInSeconds(DirectLineGrant grant) =>
        (int)Math.Max(0, grant.ExpiresUnixSeconds - _time.GetUtcNow().ToUnixTimeSeconds());

    public TokenCheck Check(string? token, string? conversationId, out DirectLineGrant? grant)
    {
        grant = null;
        if (string.IsNullOrEmpty(token))
        {
            return TokenCheck.Missing;
        }

        if (!token.StartsWith(Prefix, StringComparison.Ordinal) || token.Length > 4096)
        {
            return TokenCheck.Invalid;
        }

        var body = token.AsSpan(Prefix.Length);
        var dot = body.IndexOf('.');
        if (dot <= 0)
        {
            return TokenCheck.Invalid;
        }

        var payload = body[..dot].ToString();
        byte[] signature;
        try
        {
            signature = Base64UrlTextEncoder.Decode(body[(dot + 1)..].ToString());
        }
        catch (FormatException)
        {
            return TokenCheck.Invalid;
        }

        if (!CryptographicOperations.FixedTimeEquals(signature, HMACSHA256.HashData(_key, Encoding.ASCII.GetBytes(payload))))
        {
            return TokenCheck.Invalid;
        }

        DirectLineGrant? parsed;
        try
        {
            parsed = JsonSerializer.Deserialize<DirectLineGrant>(Base64UrlTextEncoder.Decode(payload));
        }
        catch (Exception ex) when (ex is JsonException or FormatException)
        {
            return TokenCheck.Invalid;
        }

        if (parsed is null || string.IsNullOrEmpty(parsed.ConversationId) || string.IsNullOrEmpty(parsed.UserId))
        {
            return TokenCheck.Invalid;
        }

        if (_time.GetUtcNow().ToUnixTimeSeconds() >= parsed.ExpiresUnixSeconds)
        {
            return TokenCheck.Expired;
        }

        if (conversationId is not null && !string.Equals(conversationId, parsed.ConversationId, StringComparison.Ordinal))
        {
            return TokenCheck.WrongConversation;
        }

        grant = parsed;
        return TokenCheck.Valid;
    }

    private long Expiry() => (_time.GetUtcNow() + _lifetime).ToUnixTimeSeconds();

    private string Sign(string payload) =>
        Base64UrlTextEncoder.Encode(HMACSHA256.HashData(_key, Encoding.ASCII.GetBytes(payload)));

    private static string NewConversationId() =>
        "dl-" + Base64UrlTextEncoder.Encode(RandomNumberGenerator.GetBytes(16)).Replace('_', 'x').Replace('-', 'y');
}
