using ClinicBot.Dialogs;
using ClinicBot.Dialogs.Cases;
using ClinicBot.Dialogs.Patients;
using ClinicBot.Dialogs.Phrasing;
using Microsoft.Extensions.Options;

namespace ClinicBot.Bot.Messenger;

/// <summary>
/// New comments on the clinic's page: a complaint (per <see cref="ICommentTriage"/>) becomes a case for staff, and its
/// author gets one private Messenger reply apologising and inviting them to continue in Messenger. The bot never
/// answers in public. Each step is recorded, so a replayed event neither duplicates the case nor the reply.
/// </summary>
public sealed class MessengerCommentHandler(
    ICommentTriage triage,
    ICaseStore cases,
    MessengerInbox inbox,
    MessengerGraphClient graph,
    IOptions<ConversationOptions> conversation,
    ILogger<MessengerCommentHandler> logger)
{
    internal async Task<string> HandleAsync(string pageId, FeedChange change, CancellationToken cancellationToken)
    {
        var commentId = change.CommentId;
        if (string.IsNullOrEmpty(commentId) || change.Item != "comment" || change.Verb != "add")
        {
            return "ignored";
        }

        if (change.From?.Id == pageId)
        {
            return "ignored: the page's own comment";
        }

        var assessment = triage.Assess(change.Message);
        if (!assessment.IsComplaint)
        {
            return "not a complaint";
        }

        var (caseId, replied) = await inbox.GetCommentAsync(commentId, cancellationToken);
        ComplaintCase? complaint = caseId is null ? null : await cases.GetAsync(caseId, cancellationToken);
        if (complaint is null)
        {
            complaint = await cases.CreateAsync(new ComplaintCase
            {
                Source = CaseSource.FacebookComment,
                PatientName = change.From?.Name,
                PatientUserId = change.From?.Id,
                Summary = assessment.Summary,
                OriginalText = change.Message ?? string.Empty,
                Link = change.Post?.PermalinkUrl is { Length: > 0 } permalink ? permalink : "https://www.facebook.com/" + Uri.EscapeDataString(commentId),
                Severity = assessment.Severity,
                Status = CaseStatus.Open,
            }, cancellationToken);
            await inbox.RecordCommentCaseAsync(commentId, complaint.Id, cancellationToken);
            logger.LogInformation("Case {CaseReference} created for page comment {CommentId} (severity {Severity})", complaint.Reference, commentId, complaint.Severity);
        }

        if (replied)
        {
            return "case exists, already replied";
        }

        var text = ComplaintPhrases.PrivateReplyToComment(PatientNames.FirstNameFromDisplayName(change.From?.Name), conversation.Value.ClinicName, complaint.Reference);
        await graph.SendAsync(new SendRequest(new SendRecipient(CommentId: commentId), Message: new OutgoingMessage(Text: text)), cancellationToken);
        await inbox.MarkCommentRepliedAsync(commentId, cancellationToken);
        logger.LogInformation("Sent the private reply for page comment {CommentId} (case {CaseReference})", commentId, complaint.Reference);
        return "case created, private reply sent";
    }
}
