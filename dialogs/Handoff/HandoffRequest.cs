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

    /// <summary>Facts staff need that do not fit elsewhere: appointment details, what was offered, case ids.</summary>
    public Dictionary<string, string> Context { get; init; } = [];
}

public enum HandoffStatus
{
    Waiting,
    Active,
    Ended,
}

/// <summary>Where a new handoff landed in its queue.</summary>
public sealed record HandoffPlacement(int Position, TimeSpan EstimatedWait);
