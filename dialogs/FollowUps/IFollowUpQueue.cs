namespace ClinicBot.Dialogs.FollowUps;

/// <summary>Durable store of follow-up questions for staff.</summary>
public interface IFollowUpQueue
{
    /// <summary>Stores a new follow-up; it is durable when this returns.</summary>
    Task AddAsync(FollowUp followUp, CancellationToken cancellationToken);

    Task<FollowUp?> GetAsync(string id, CancellationToken cancellationToken);

    /// <summary>Follow-ups in the given status (all when null), oldest first.</summary>
    Task<IReadOnlyList<FollowUp>> ListAsync(FollowUpStatus? status, CancellationToken cancellationToken);

    Task SetContactAsync(string id, string? email, string? phone, CancellationToken cancellationToken);

    /// <summary>
    /// Records the staff answer once. Returns false when the follow-up does not exist or was already
    /// answered (two staff members answering at once: the first wins).
    /// </summary>
    Task<bool> RecordAnswerAsync(string id, string answer, string answeredBy, FollowUpStatus status, DateTimeOffset answeredAt, CancellationToken cancellationToken);

    /// <summary>The answer could not be delivered to the conversation: staff must call or email.</summary>
    Task MarkNeedsCallbackAsync(string id, CancellationToken cancellationToken);
}
