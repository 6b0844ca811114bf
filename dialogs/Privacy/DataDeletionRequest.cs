namespace ClinicBot.Dialogs.Privacy;

public enum DataDeletionStatus
{
    Pending,
    Completed,
}

/// <summary>
/// A patient's confirmed request to delete their data. Nothing is deleted when it is made: a supervisor approves it
/// in the staff console, then the host deletes the patient's state, transcripts, follow-ups and handoffs and tells them.
/// </summary>
public sealed record DataDeletionRequest(
    string Id,
    string PatientUserId,
    string ConversationId,
    string ChannelId,
    string ReplyAddress,
    DateTimeOffset RequestedAt,
    DataDeletionStatus Status = DataDeletionStatus.Pending,
    string? ApprovedBy = null,
    DateTimeOffset? CompletedAt = null);

/// <summary>Where confirmed "delete my data" requests wait for a supervisor (the host provides the store).</summary>
public interface IDataDeletionRequests
{
    /// <summary>Records a pending request; a patient with a pending request already gets that one back.</summary>
    Task<DataDeletionRequest> CreateAsync(DataDeletionRequest request, CancellationToken cancellationToken);

    Task<DataDeletionRequest?> GetAsync(string id, CancellationToken cancellationToken);

    Task<IReadOnlyList<DataDeletionRequest>> ListAsync(DataDeletionStatus? status, CancellationToken cancellationToken);

    /// <summary>Marks the request done; false when it was not pending (already completed or unknown).</summary>
    Task<bool> CompleteAsync(string id, string approvedBy, DateTimeOffset completedAt, CancellationToken cancellationToken);
}
