namespace ClinicBot.Dialogs.Knowledge;

/// <summary>
/// The live knowledge base: a snapshot loaded at start, replaced atomically when staff add to it.
/// Additions are persisted through the source first, so a failed write changes nothing.
/// </summary>
public sealed class KnowledgeBaseStore : IKnowledgeBase, IDisposable
{
    private readonly IKnowledgeBaseSource _source;
    private readonly TimeProvider _timeProvider;
    private readonly SemaphoreSlim _addLock = new(1, 1);
    private KnowledgeBase _current;

    public KnowledgeBaseStore(IKnowledgeBaseSource source, KnowledgeBase initial, TimeProvider timeProvider)
    {
        _source = source;
        _timeProvider = timeProvider;
        _current = initial;
    }

    public event EventHandler<KnowledgeBaseChangedEventArgs>? Changed;

    public KnowledgeBase Current => Volatile.Read(ref _current);

    /// <summary>Loads and validates through <paramref name="source"/>; throws <see cref="KnowledgeBaseException"/>.</summary>
    public static KnowledgeBaseStore Load(IKnowledgeBaseSource source, TimeProvider timeProvider) =>
        new(source, source.Load(), timeProvider);

    public async Task<KnowledgeEntry> AddStaffAnswerAsync(string patientQuestion, string staffAnswer, string? department, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(patientQuestion);
        ArgumentException.ThrowIfNullOrWhiteSpace(staffAnswer);
        if (department is not null && !KnowledgeDepartments.All.Contains(department))
        {
            throw new ArgumentException($"Unknown department '{department}'.", nameof(department));
        }

        await _addLock.WaitAsync(cancellationToken);
        try
        {
            var current = Current;
            var entry = new KnowledgeEntry
            {
                Id = NewId(current),
                Question = patientQuestion.Trim(),
                Answer = staffAnswer.Trim(),
                Department = department,
                AddedByStaff = true,
            };
            await _source.AppendEntryAsync(entry, cancellationToken);
            Publish(current, current.WithEntry(entry));
            return entry;
        }
        finally
        {
            _addLock.Release();
        }
    }

    public async Task<KnowledgeEntry> AddPhrasingAsync(string entryId, string phrasing, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(entryId);
        ArgumentException.ThrowIfNullOrWhiteSpace(phrasing);
        await _addLock.WaitAsync(cancellationToken);
        try
        {
            var current = Current;
            if (current.Find(entryId) is null)
            {
                throw new ArgumentException($"No knowledge entry with id '{entryId}'.", nameof(entryId));
            }

            await _source.AppendPhrasingAsync(entryId, phrasing.Trim(), cancellationToken);
            var updated = current.WithPhrasing(entryId, phrasing.Trim());
            Publish(current, updated);
            return updated.Find(entryId)!;
        }
        finally
        {
            _addLock.Release();
        }
    }

    public void Dispose() => _addLock.Dispose();

    private void Publish(KnowledgeBase previous, KnowledgeBase updated)
    {
        Volatile.Write(ref _current, updated);
        Changed?.Invoke(this, new KnowledgeBaseChangedEventArgs(previous, updated));
    }

    // The id carries no patient text: ids show up in logs and analytics.
    private string NewId(KnowledgeBase current)
    {
        var stamp = _timeProvider.GetUtcNow().ToString("yyyyMMdd-HHmmss", System.Globalization.CultureInfo.InvariantCulture);
        var id = $"staff-{stamp}";
        for (var n = 2; current.Find(id) is not null; n++)
        {
            id = $"staff-{stamp}-{n}";
        }

        return id;
    }
}
