namespace ClinicBot.Dialogs.Handoff;

/// <summary>
/// The durable queue of chats waiting for, or held by, staff. Every change is durable when the call returns,
/// and every state change is atomic: of two staff members accepting the same chat, exactly one wins.
/// </summary>
public interface IHandoffQueue
{
    /// <summary>Stores the request (durable when this returns) and says where it stands in line.</summary>
    Task<HandoffPlacement> EnqueueAsync(HandoffRequest request, CancellationToken cancellationToken);

    Task<HandoffRequest?> GetAsync(string id, CancellationToken cancellationToken);

    /// <summary>
    /// Waiting and active chats (of one department, or all when null): waiting first, in queue order (safety/urgent,
    /// then supervisor escalations, then high, then normal priority; longest wait first within a rank), then active
    /// ones oldest accepted first.
    /// </summary>
    Task<IReadOnlyList<HandoffRequest>> ListOpenAsync(string? department, CancellationToken cancellationToken);

    /// <summary>Waiting chats whose wait in their current queue started at or before <paramref name="cutoff"/>.</summary>
    Task<IReadOnlyList<HandoffRequest>> ListWaitingSinceAsync(DateTimeOffset cutoff, CancellationToken cancellationToken);

    /// <summary>Handoffs of one conversation, newest first (for the staff context panel).</summary>
    Task<IReadOnlyList<HandoffRequest>> ListByConversationAsync(string conversationId, CancellationToken cancellationToken);

    /// <summary>Waiting → Active for <paramref name="staffId"/>; Conflict when someone else got there first.</summary>
    Task<HandoffChange> AcceptAsync(string id, string staffId, string staffName, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Waiting or Active → Ended with an outcome (resolved, patient left, timed out, cancelled by patient...).</summary>
    Task<HandoffChange> EndAsync(string id, string outcome, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Moves the chat to another department's queue (back to Waiting there) with a note for the next person.</summary>
    Task<HandoffChange> TransferAsync(string id, string department, string? note, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Moves the chat to the supervisors' queue, ahead of normal chats, with a note.</summary>
    Task<HandoffChange> EscalateAsync(string id, string supervisorDepartment, string? note, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>
    /// A red flag in the patient's message: the chat (waiting or active) becomes Urgent, ahead of every other chat,
    /// and carries the category; Conflict once it has ended.
    /// </summary>
    Task<HandoffChange> MarkUrgentAsync(string id, string redFlag, CancellationToken cancellationToken);

    /// <summary>A waiting chat nobody took in time became a follow-up: Waiting → Ended, linked to it.</summary>
    Task<HandoffChange> TimeOutAsync(string id, string followUpId, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Appends a line to the handoff's transcript (durable when this returns); returns it with its sequence.</summary>
    Task<HandoffMessage> AppendMessageAsync(HandoffMessage message, CancellationToken cancellationToken);

    /// <summary>The handoff's transcript in order, internal notes included (flagged).</summary>
    Task<IReadOnlyList<HandoffMessage>> GetMessagesAsync(string id, CancellationToken cancellationToken);

    /// <summary>
    /// Expected wait for a chat at <paramref name="position"/> in a department's queue: the median time-to-accept of
    /// the department's most recently accepted chats times the position, or
    /// <see cref="HandoffOptions.DefaultMinutesPerChat"/> × position while there is no history.
    /// </summary>
    Task<TimeSpan> EstimateWaitAsync(string department, int position, CancellationToken cancellationToken);
}

/// <summary>Whether anyone on a team can take a chat right now.</summary>
public interface IStaffPresence
{
    bool IsAvailable(string departmentKey);

    /// <summary>Anyone at all is signed in and available (every staff member may take a red-flag alert).</summary>
    bool IsAnyoneAvailable { get; }
}
