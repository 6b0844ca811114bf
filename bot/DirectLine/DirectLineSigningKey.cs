using System.Security.Cryptography;
using System.Text;
using ClinicBot.Bot.Storage.Sqlite;
using Microsoft.Extensions.Options;

namespace ClinicBot.Bot.DirectLine;

/// <summary>
/// The token signing key: <c>DirectLine:TokenSigningKey</c> when configured, otherwise a random key generated at
/// first start and kept owner-only (0600) next to the SQLite database, so tokens survive restarts.
/// </summary>
public sealed class DirectLineSigningKey
{
    public const string FileName = "directline-signing.key";

    public DirectLineSigningKey(IOptions<DirectLineOptions> options, SqliteDatabase database, ILogger<DirectLineSigningKey> logger)
    {
        if (options.Value.TokenSigningKey is { Length: > 0 } configured)
        {
            Bytes = Encoding.UTF8.GetBytes(configured);
            return;
        }

        var folder = Path.GetDirectoryName(database.FilePath) ?? Directory.GetCurrentDirectory();
        Bytes = LoadOrCreate(Path.Combine(folder, FileName), logger);
    }

    internal byte[] Bytes { get; }

    private static byte[] LoadOrCreate(string path, ILogger logger)
    {
        for (var attempt = 0; attempt < 3; attempt++)
        {
            if (File.Exists(path))
            {
                var existing = Convert.FromBase64String(File.ReadAllText(path).Trim());
                if (existing.Length >= 32)
                {
                    return existing;
                }

                throw new InvalidOperationException($"The Direct Line signing key file {path} is too short; delete it to generate a new one.");
            }

            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var key = RandomNumberGenerator.GetBytes(32);
            try
            {
                var fileOptions = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
                if (!OperatingSystem.IsWindows())
                {
                    fileOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
                }

                using var stream = new FileStream(path, fileOptions);
                using var writer = new StreamWriter(stream);
                writer.Write(Convert.ToBase64String(key));
                logger.LogInformation("Generated a Direct Line token signing key at {Path}", path);
                return key;
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another process created it first: read theirs.
            }
        }

        throw new InvalidOperationException($"Could not create or read the Direct Line signing key at {path}.");
    }
}
