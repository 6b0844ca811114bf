using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;

namespace ClinicBot.Dialogs.Knowledge;

/// <summary>An immutable set of knowledge entries with lookup by id. Changes produce a new instance.</summary>
public sealed class KnowledgeBase
{
    private readonly Dictionary<string, KnowledgeEntry> _byId;
    private string? _contentHash;

    public KnowledgeBase(IEnumerable<KnowledgeEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        Entries = entries.ToArray();
        _byId = new Dictionary<string, KnowledgeEntry>(StringComparer.OrdinalIgnoreCase);
        foreach (var entry in Entries)
        {
            if (!_byId.TryAdd(entry.Id, entry))
            {
                throw new ArgumentException($"Duplicate knowledge entry id '{entry.Id}'.", nameof(entries));
            }
        }
    }

    public static KnowledgeBase Empty { get; } = new([]);

    /// <summary>The entries in file order.</summary>
    public IReadOnlyList<KnowledgeEntry> Entries { get; }

    public int Count => Entries.Count;

    /// <summary>
    /// SHA-256 (hex) over everything in the entries: id, question, phrasings, answer, department, links.
    /// Identifies this exact content, e.g. as the key of an embedding cache.
    /// </summary>
    public string ContentHash => _contentHash ??= ComputeHash();

    public KnowledgeEntry? Find(string id) => _byId.GetValueOrDefault(id);

    public bool TryGet(string id, [NotNullWhen(true)] out KnowledgeEntry? entry) => _byId.TryGetValue(id, out entry);

    /// <summary>A new knowledge base with <paramref name="entry"/> appended.</summary>
    public KnowledgeBase WithEntry(KnowledgeEntry entry) => new(Entries.Append(entry));

    /// <summary>A new knowledge base where entry <paramref name="id"/> has one more phrasing.</summary>
    public KnowledgeBase WithPhrasing(string id, string phrasing)
    {
        if (!_byId.ContainsKey(id))
        {
            throw new ArgumentException($"No knowledge entry with id '{id}'.", nameof(id));
        }

        return new(Entries.Select(e => string.Equals(e.Id, id, StringComparison.OrdinalIgnoreCase)
            ? new KnowledgeEntry
            {
                Id = e.Id,
                Question = e.Question,
                Answer = e.Answer,
                Phrasings = [.. e.Phrasings, phrasing],
                Department = e.Department,
                Links = e.Links,
                AddedByStaff = e.AddedByStaff,
            }
            : e));
    }

    private string ComputeHash()
    {
        var text = new StringBuilder();
        foreach (var e in Entries)
        {
            // Length-prefixed fields so that no two different bases serialize alike.
            Append(text, e.Id);
            Append(text, e.Question);
            Append(text, e.Answer);
            Append(text, e.Department ?? string.Empty);
            text.Append(e.Phrasings.Count).Append('|');
            foreach (var p in e.Phrasings)
            {
                Append(text, p);
            }

            text.Append(e.Links.Count).Append('|');
            foreach (var l in e.Links)
            {
                Append(text, l.Title);
                Append(text, l.Url.OriginalString);
            }
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));

        static void Append(StringBuilder sb, string value) => sb.Append(value.Length).Append(':').Append(value).Append('|');
    }
}
