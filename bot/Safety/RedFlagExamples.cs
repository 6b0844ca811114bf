using System.Security.Cryptography;
using System.Text;
using ClinicBot.Dialogs.Safety;

namespace ClinicBot.Bot.Safety;

/// <summary>
/// Labelled messages the red-flag model learns from: one per line, <c>label&lt;TAB&gt;message</c>, labels
/// <c>none</c>, <c>emergency</c>, <c>crisis</c> and <c>violence</c>; lines starting with <c>#</c> are comments.
/// The same format holds the evaluation sets (tools/Evaluate -- --safety).
/// </summary>
public sealed class RedFlagExamples
{
    private RedFlagExamples(IReadOnlyList<(RedFlag Label, string Text)> items, string contentHash)
    {
        Items = items;
        ContentHash = contentHash;
    }

    public IReadOnlyList<(RedFlag Label, string Text)> Items { get; }

    /// <summary>Identifies the examples, so cached embeddings of other examples are never reused.</summary>
    public string ContentHash { get; }

    /// <summary>Reads a file; a bad line fails with its file, line number and what is wrong.</summary>
    public static RedFlagExamples Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"The red-flag examples file '{path}' does not exist (Safety:ExamplesPath).");
        }

        return Parse(File.ReadAllLines(path, Encoding.UTF8), path);
    }

    public static RedFlagExamples Parse(IReadOnlyList<string> lines, string source)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var items = new List<(RedFlag, string)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            if (string.IsNullOrWhiteSpace(line) || line.StartsWith('#'))
            {
                continue;
            }

            var parts = line.Split('\t');
            if (parts.Length != 2 || string.IsNullOrWhiteSpace(parts[1]))
            {
                throw new InvalidOperationException($"{source}, line {i + 1}: expected 'label<TAB>message'.");
            }

            var label = parts[0].Trim().ToLowerInvariant() switch
            {
                "none" => RedFlag.None,
                "emergency" => RedFlag.Emergency,
                "crisis" => RedFlag.Crisis,
                "violence" => RedFlag.Violence,
                var other => throw new InvalidOperationException($"{source}, line {i + 1}: unknown label '{other}' (none, emergency, crisis or violence)."),
            };
            var text = parts[1].Trim();
            if (seen.Add(text))
            {
                items.Add((label, text));
            }
        }

        if (items.Count == 0)
        {
            throw new InvalidOperationException($"{source}: no labelled messages.");
        }

        var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', items.Select(i => $"{i.Item1}\t{i.Item2}")))))[..16];
        return new RedFlagExamples(items, hash);
    }
}
