using System.Text;
using Microsoft.Extensions.Logging;

namespace ClinicBot.Bot.Recognition;

/// <summary>
/// Training-text embeddings on disk, one file per content hash of the texts (<c>kb-HASH.emb</c> for the knowledge base,
/// another prefix for another model's texts), so a restart with unchanged texts skips encoding. The file header names the model; a file from another model,
/// a truncated file or any read error counts as a miss (the cache is an optimisation, never a source of truth).
/// </summary>
internal sealed class EmbeddingCache(string directory, ILogger logger, string prefix = "kb")
{
    private const int FormatVersion = 1;
    private const string Magic = "CBKBEMB";

    public string PathFor(string contentHash) => Path.Combine(directory, $"{prefix}-{contentHash}.emb");

    public Dictionary<string, float[]>? TryLoad(string contentHash, string modelId, int dimensions)
    {
        var path = PathFor(contentHash);
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            using var reader = new BinaryReader(File.OpenRead(path), Encoding.UTF8);
            if (reader.ReadString() != Magic || reader.ReadInt32() != FormatVersion || reader.ReadString() != modelId || reader.ReadInt32() != dimensions)
            {
                logger.LogInformation("Embedding cache {Path} is from another model or format; re-encoding", path);
                return null;
            }

            var count = reader.ReadInt32();
            var vectors = new Dictionary<string, float[]>(count, StringComparer.Ordinal);
            for (var i = 0; i < count; i++)
            {
                var text = reader.ReadString();
                var vector = new float[dimensions];
                for (var d = 0; d < dimensions; d++)
                {
                    vector[d] = reader.ReadSingle();
                }

                vectors[text] = vector;
            }

            return vectors;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or EndOfStreamException or FormatException)
        {
            logger.LogWarning(ex, "Embedding cache {Path} could not be read; re-encoding", path);
            return null;
        }
    }

    public void Save(string contentHash, string modelId, int dimensions, IReadOnlyDictionary<string, float[]> vectors)
    {
        var path = PathFor(contentHash);
        try
        {
            Directory.CreateDirectory(directory);
            var temp = path + ".tmp";
            using (var writer = new BinaryWriter(File.Create(temp), Encoding.UTF8))
            {
                writer.Write(Magic);
                writer.Write(FormatVersion);
                writer.Write(modelId);
                writer.Write(dimensions);
                writer.Write(vectors.Count);
                foreach (var (text, vector) in vectors)
                {
                    writer.Write(text);
                    foreach (var value in vector)
                    {
                        writer.Write(value);
                    }
                }
            }

            File.Move(temp, path, overwrite: true);

            // Only the current texts' file is worth keeping.
            foreach (var stale in Directory.EnumerateFiles(directory, prefix + "-*.emb").Where(f => !string.Equals(f, path, StringComparison.Ordinal)))
            {
                File.Delete(stale);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            logger.LogWarning(ex, "Embedding cache {Path} could not be written; the next start will re-encode", path);
        }
    }
}
