namespace ClinicBot.Dialogs.Cases;

/// <summary>Where a complaint came from.</summary>
public enum CaseSource
{
    /// <summary>A conversation with the bot in Facebook Messenger.</summary>
    Messenger,

    /// <summary>A public comment on the clinic's Facebook page.</summary>
    FacebookComment,

    /// <summary>A conversation with the bot on the website chat (or any other chat channel).</summary>
    Chat,
}

public enum CaseSeverity
{
    Low,
    Medium,
    High,
}

public enum CaseStatus
{
    /// <summary>Created; no staff member has picked it up.</summary>
    Open,

    /// <summary>A staff member is working on it.</summary>
    InProgress,

    /// <summary>Resolved with the patient.</summary>
    Resolved,

    /// <summary>Closed without further action (duplicate, spam...).</summary>
    Closed,
}

/// <summary>A note a staff member added to a case.</summary>
public sealed record CaseNote(DateTimeOffset At, string Author, string Text);

/// <summary>
/// A patient complaint for staff to follow up. Created by the bot (a complaint in chat, a negative page comment);
/// worked on by staff, who approve any remedy and write any public reply: the bot never offers either on its own.
/// </summary>
public sealed class ComplaintCase
{
    /// <summary>Unique id; assigned by <see cref="ICaseStore.CreateAsync"/> when empty.</summary>
    public string Id { get; set; } = string.Empty;

    /// <summary>Short reference patients and staff can say and type ("C-24817"); assigned by the store.</summary>
    public string Reference { get; set; } = string.Empty;

    public CaseSource Source { get; set; }

    /// <summary>The patient's name as the channel or the patient gave it, when known.</summary>
    public string? PatientName { get; set; }

    /// <summary>The patient's id on the source channel (Messenger PSID, Facebook user id, chat user id), when known.</summary>
    public string? PatientUserId { get; set; }

    /// <summary>One line for the staff list: what the complaint is about.</summary>
    public string Summary { get; set; } = string.Empty;

    /// <summary>What the patient wrote, verbatim.</summary>
    public string OriginalText { get; set; } = string.Empty;

    /// <summary>Where staff can see the original (the comment on Facebook), when there is such a place.</summary>
    public string? Link { get; set; }

    public CaseSeverity Severity { get; set; } = CaseSeverity.Medium;

    public CaseStatus Status { get; set; } = CaseStatus.Open;

    public DateTimeOffset CreatedAt { get; set; }

    public List<CaseNote> StaffNotes { get; set; } = [];

    /// <summary>A remedy (free consultation, discount) a staff member approved; the bot offers nothing else.</summary>
    public string? ApprovedRemedy { get; set; }

    /// <summary>A public reply staff are drafting (for a page comment); never posted by the bot on its own.</summary>
    public string? DraftPublicReply { get; set; }

    /// <summary>The serialized conversation reference, to tell the patient about an approved remedy; null for page comments.</summary>
    public string? ReplyAddress { get; set; }
}
