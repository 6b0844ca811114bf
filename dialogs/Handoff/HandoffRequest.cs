namespace ClinicBot.Dialogs.Handoff;

/// <summary>A patient waiting for, or talking with, a person; carries everything the bot learned.</summary>
public sealed class HandoffRequest
{
    public required string Id { get; init; }

    public required string ConversationId { get; init; }

    public required string PatientUserId { get; init; }

    public string? PatientName { get; init; }

    public required string ChannelId { get; init; }

    /// <summary>The serialized conversation reference used to reach the patient proactively.</summary>
    public required string ReplyAddress { get; init; }

    public required string Department { get; set; }

    public required HandoffReason Reason { get; init; }

    /// <summary>The request as the bot restated it and the patient confirmed it (or their own words).</summary>
    public string? Request { get; init; }

    /// <summary>What the bot noticed about the patient's mood (calm, frustrated, angry, abusive).</summary>
    public string? Sentiment { get; set; }

    public HandoffPriority Priority { get; set; }

    public bool FlaggedAbusive { get; set; }

    public HandoffStatus Status { get; set; } = HandoffStatus.Waiting;

    public required DateTimeOffset CreatedAt { get; init; }

    public string? AcceptedBy { get; set; }

    public DateTimeOffset? AcceptedAt { get; set; }

    public DateTimeOffset? EndedAt { get; set; }

    public string? Outcome { get; set; }

    /// <summary>The accepting staff member's first name, as the patient was told.</summary>
    public string? AcceptedByName { get; set; }

    /// <summary>When the chat (re)joined its current queue: set on enqueue, transfer and escalation.</summary>
    public DateTimeOffset? QueuedAt { get; set; }

    /// <summary>Escalated to a supervisor (by staff or because it waited too long): queued ahead of normal chats.</summary>
    public bool Escalated { get; set; }

    /// <summary>The note left with the last transfer or escalation, for the next staff member.</summary>
    public string? TransferNote { get; set; }

    /// <summary>The follow-up this chat became when nobody could take it in time.</summary>
    public string? FollowUpId { get; set; }

    /// <summary>Queue order key: safety/urgent first, then supervisor escalations, then high, then normal.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public int QueueRank => Priority == HandoffPriority.Urgent ? 4 : Escalated ? 3 : (int)Priority;

    /// <summary>When the wait in the current queue started.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public DateTimeOffset WaitingSince => QueuedAt ?? CreatedAt;

    /// <summary>Facts staff need that do not fit elsewhere: appointment details, what was offered, case ids.</summary>
    public Dictionary<string, string> Context { get; init; } = [];
}

public enum HandoffStatus
{
    Waiting,
    Active,
    Ended,
}

/// <summary>One line of a handoff's own transcript: a patient message relayed, a staff reply, a system line or an internal note.</summary>
public sealed record HandoffMessage(
    string HandoffId,
    HandoffMessageSender Sender,
    string Text,
    DateTimeOffset SentAt,
    string? AuthorId = null,
    string? AuthorName = null,
    bool Internal = false)
{
    /// <summary>Store order (assigned by the store).</summary>
    public long Sequence { get; init; }
}

public enum HandoffMessageSender
{
    Patient,
    Staff,
    System,
}

/// <summary>What a queue operation did: the updated request, or why nothing changed.</summary>
public sealed record HandoffChange(HandoffChangeOutcome Outcome, HandoffRequest? Request = null, string? Reason = null)
{
    public bool Succeeded => Outcome == HandoffChangeOutcome.Changed;

    public static HandoffChange Changed(HandoffRequest request) => new(HandoffChangeOutcome.Changed, request);

    public static HandoffChange NotFound { get; } = new(HandoffChangeOutcome.NotFound, Reason: "No handoff has that id.");

    public static HandoffChange Conflict(HandoffRequest request, string reason) => new(HandoffChangeOutcome.Conflict, request, reason);
}

public enum HandoffChangeOutcome
{
    Changed,
    NotFound,

    /// <summary>The handoff is not in a state that allows the change (already accepted, already ended...).</summary>
    Conflict,
}

/// <summary>Where a new handoff landed in its queue.</summary>
public sealed record HandoffPlacement(int Position, TimeSpan EstimatedWait);
