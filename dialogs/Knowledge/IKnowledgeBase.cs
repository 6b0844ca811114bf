namespace ClinicBot.Dialogs.Knowledge;

/// <summary>The live knowledge base the bot answers from; it can grow while the bot runs.</summary>
public interface IKnowledgeBase
{
    /// <summary>The current snapshot. Never null; replaced (not mutated) when something is added.</summary>
    KnowledgeBase Current { get; }

    /// <summary>Raised after <see cref="Current"/> was replaced.</summary>
    event EventHandler<KnowledgeBaseChangedEventArgs>? Changed;

    /// <summary>
    /// "Add to knowledge base" after staff answered a follow-up: appends a new entry whose canonical question
    /// is the patient's question and whose answer is the staff answer, and persists it.
    /// </summary>
    Task<KnowledgeEntry> AddStaffAnswerAsync(string patientQuestion, string staffAnswer, string? department, CancellationToken cancellationToken);

    /// <summary>Staff judged that a question is another way to ask an existing entry: adds it as a phrasing and persists it.</summary>
    Task<KnowledgeEntry> AddPhrasingAsync(string entryId, string phrasing, CancellationToken cancellationToken);
}

/// <summary>Where a knowledge base is read from and where additions are written.</summary>
public interface IKnowledgeBaseSource
{
    /// <summary>A human-readable name for messages (e.g. the file path).</summary>
    string Name { get; }

    /// <summary>Loads and validates; throws <see cref="KnowledgeBaseException"/> listing every problem.</summary>
    KnowledgeBase Load();

    Task AppendEntryAsync(KnowledgeEntry entry, CancellationToken cancellationToken);

    Task AppendPhrasingAsync(string entryId, string phrasing, CancellationToken cancellationToken);
}

public sealed class KnowledgeBaseChangedEventArgs(KnowledgeBase previous, KnowledgeBase current) : EventArgs
{
    public KnowledgeBase Previous { get; } = previous;

    public KnowledgeBase Current { get; } = current;
}
