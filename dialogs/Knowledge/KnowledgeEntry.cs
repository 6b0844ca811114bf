namespace ClinicBot.Dialogs.Knowledge;

/// <summary>A link shown under an answer (a map, a form, the insurance list).</summary>
public sealed record KnowledgeLink(string Title, Uri Url);

/// <summary>One question the clinic answers the same way for every patient.</summary>
public sealed class KnowledgeEntry
{
    /// <summary>Stable identifier (lowercase, dashes), used in logs and analytics instead of any patient text.</summary>
    public required string Id { get; init; }

    /// <summary>The canonical question, as staff would write it.</summary>
    public required string Question { get; init; }

    /// <summary>The answer the bot sends, verbatim.</summary>
    public required string Answer { get; init; }

    /// <summary>Staff-written paraphrases of <see cref="Question"/> the recognizer learns from.</summary>
    public IReadOnlyList<string> Phrasings { get; init; } = [];

    /// <summary>The department that owns the answer (see <see cref="KnowledgeDepartments"/>), if any.</summary>
    public string? Department { get; init; }

    public IReadOnlyList<KnowledgeLink> Links { get; init; } = [];

    /// <summary>True when the entry came from a staff answer added through the bot (the overlay file).</summary>
    public bool AddedByStaff { get; init; }

    /// <summary>The texts a recognizer trains on: the canonical question, then each phrasing.</summary>
    public IEnumerable<string> TrainingTexts => Phrasings.Prepend(Question);
}

/// <summary>The departments an entry may name.</summary>
public static class KnowledgeDepartments
{
    public const string Scheduling = "scheduling";
    public const string Billing = "billing";
    public const string Orthopedics = "orthopedics";
    public const string Pediatrics = "pediatrics";
    public const string FrontDesk = "front-desk";

    public static IReadOnlySet<string> All { get; } =
        new HashSet<string>([Scheduling, Billing, Orthopedics, Pediatrics, FrontDesk], StringComparer.Ordinal);
}
