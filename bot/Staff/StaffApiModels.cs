using ClinicBot.Bot.Transcripts;
using ClinicBot.Dialogs.FollowUps;
using ClinicBot.Dialogs.Handoff;

namespace ClinicBot.Bot.Staff;

/// <summary>The JSON shapes of the staff API (System.Text.Json escapes &lt; and &gt;, so patient text is inert in JSON).</summary>
public static class StaffApiModels
{
    public static object Handoff(HandoffRequest h, HandoffOptions options, DateTimeOffset now, int? position = null, TimeSpan? estimatedWait = null) => new
    {
        id = h.Id,
        conversationId = h.ConversationId,
        patientName = h.PatientName,
        patientUserId = h.PatientUserId,
        channel = h.ChannelId,
        department = h.Department,
        departmentName = options.Find(h.Department).TeamName,
        status = h.Status.ToString(),
        priority = h.Priority.ToString(),
        reason = h.Reason.ToString(),
        escalated = h.Escalated,
        flaggedAbusive = h.FlaggedAbusive,
        request = h.Request,
        sentiment = h.Sentiment,
        createdAt = h.CreatedAt,
        waitingSince = h.WaitingSince,
        waitedSeconds = h.Status == HandoffStatus.Waiting ? (long)Math.Max(0, (now - h.WaitingSince).TotalSeconds) : (long?)null,
        position,
        estimatedWaitSeconds = estimatedWait is { } wait ? (long)wait.TotalSeconds : (long?)null,
        acceptedBy = h.AcceptedBy,
        acceptedByName = h.AcceptedByName,
        acceptedAt = h.AcceptedAt,
        endedAt = h.EndedAt,
        outcome = h.Outcome,
        transferNote = h.TransferNote,
        followUpId = h.FollowUpId,
        context = h.Context,
    };

    public static object Message(HandoffMessage m) => new
    {
        handoffId = m.HandoffId,
        seq = m.Sequence,
        sender = m.Sender.ToString(),
        text = m.Text,
        at = m.SentAt,
        authorName = m.AuthorName,
        @internal = m.Internal,
    };

    public static object Transcript(TranscriptEntry e) => new
    {
        seq = e.Sequence,
        role = e.Role.ToString(),
        text = e.Text,
        at = e.At,
    };

    public static object FollowUp(FollowUp f) => new
    {
        id = f.Id,
        patientName = f.PatientName,
        patientUserId = f.PatientUserId,
        channel = f.ChannelId,
        question = f.Question,
        originalText = f.OriginalText,
        department = f.Department,
        askedAt = f.AskedAt,
        dueBy = f.DueBy,
        contactEmail = f.ContactEmail,
        contactPhone = f.ContactPhone,
        status = f.Status.ToString(),
        answer = f.Answer,
        answeredBy = f.AnsweredBy,
        answeredAt = f.AnsweredAt,
    };
}

public sealed record SignInRequest(string? UserName, string? Password);

public sealed record TextRequest(string? Text);

public sealed record TransferRequest(string? Department, string? Note);

public sealed record EscalateRequest(string? Note);

public sealed record EndRequest(string? Outcome);

public sealed record AnswerRequest(string? Answer, bool AddToKnowledgeBase);

public sealed record PresenceRequest(bool Available);

public sealed record CreateUserRequest(string? UserName, string? DisplayName, string? Role, List<string>? Departments, string? Password);
