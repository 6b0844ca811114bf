namespace ClinicBot.Dialogs.FollowUps;

/// <summary>
/// A question the bot could not answer, queued for staff with everything needed to answer the patient
/// without asking again, and to deliver the answer back to the patient's conversation.
/// </summary>
public sealed class FollowUp
{
    public required string Id { get; init; }

    public required string PatientUserId { get; init; }

    public string? PatientName { get; init; }

    public required string ChannelId { get; init; }

    /// <summary>The serialized conversation reference used to reply proactively.</summary>
    public required string ReplyAddress { get; init; }

    /// <summary>The question as the bot restated it and the patient confirmed it.</summary>
    public required string Question { get; init; }

    /// <summary>The patient's own words.</summary>
    public required string OriginalText { get; init; }

    /// <summary>The team that will answer (front desk, clinical team, billing...).</summary>
    public required string Department { get; init; }

    public required DateTimeOffset AskedAt { get; init; }

    public required DateTimeOffset DueBy { get; init; }

    public string? ContactEmail { get; set; }

    public string? ContactPhone { get; set; }

    public FollowUpStatus Status { get; set; } = FollowUpStatus.Open;

    public string? Answer { get; set; }

    public string? AnsweredBy { get; set; }

    public DateTimeOffset? AnsweredAt { get; set; }

    /// <summary>Adds the contact details given; a detail not given keeps its earlier value.</summary>
    public void UpdateContact(string? email, string? phone)
    {
        ContactEmail = email ?? ContactEmail;
        ContactPhone = phone ?? ContactPhone;
    }

    public void RecordAnswer(string answer, string answeredBy, FollowUpStatus status, DateTimeOffset answeredAt)
    {
        Answer = answer;
        AnsweredBy = answeredBy;
        AnsweredAt = answeredAt;
        Status = status;
    }
}

public enum FollowUpStatus
{
    /// <summary>Waiting for staff.</summary>
    Open,

    /// <summary>Answered and delivered to the patient's conversation.</summary>
    Answered,

    /// <summary>Answered, but the conversation could not be reached: staff call or email the patient.</summary>
    NeedsCallback,
}
