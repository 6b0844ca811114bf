using ClinicBot.Bot.Proactive;
using ClinicBot.Dialogs.FollowUps;
using ClinicBot.Dialogs.Knowledge;

namespace ClinicBot.Bot.FollowUps;

/// <summary>
/// Records a staff answer to a follow-up, delivers it to the patient's conversation, and optionally teaches
/// the knowledge base so the bot answers the same question itself next time.
/// </summary>
public sealed class FollowUpAnswering(IFollowUpQueue queue, ConversationNotifier notifier, IKnowledgeBase knowledgeBase, TimeProvider time, ILogger<FollowUpAnswering> logger)
{
    public const int MaxAnswerLength = 4000;

    public async Task<FollowUpAnswerResult> AnswerAsync(string id, string answer, string answeredBy, bool addToKnowledgeBase, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(answer))
        {
            return FollowUpAnswerResult.Invalid("The answer is empty.");
        }

        if (answer.Length > MaxAnswerLength)
        {
            return FollowUpAnswerResult.Invalid($"The answer is longer than {MaxAnswerLength:N0} characters.");
        }

        var followUp = await queue.GetAsync(id, cancellationToken);
        if (followUp is null)
        {
            return FollowUpAnswerResult.NotFound;
        }

        // Claim it first: of two staff members answering at once, only one answer reaches the patient.
        if (!await queue.RecordAnswerAsync(id, answer.Trim(), answeredBy, FollowUpStatus.Answered, time.GetUtcNow(), cancellationToken))
        {
            return FollowUpAnswerResult.AlreadyAnswered;
        }

        var delivered = await notifier.NotifyAsync(followUp.ReplyAddress, FollowUpEvents.Answered, new FollowUpAnsweredValue(id, followUp.Question, answer.Trim()), cancellationToken);
        if (!delivered)
        {
            await queue.MarkNeedsCallbackAsync(id, cancellationToken);
        }

        if (addToKnowledgeBase)
        {
            await knowledgeBase.AddStaffAnswerAsync(followUp.Question, answer.Trim(), followUp.Department, cancellationToken);
        }

        logger.LogInformation("Follow-up {FollowUpId} answered; delivered to the conversation: {Delivered}; added to knowledge base: {Added}", id, delivered, addToKnowledgeBase);
        return delivered ? FollowUpAnswerResult.Delivered : FollowUpAnswerResult.NeedsCallback;
    }
}

public sealed record FollowUpAnswerResult(FollowUpAnswerOutcome Outcome, string? Error = null)
{
    public static FollowUpAnswerResult Delivered { get; } = new(FollowUpAnswerOutcome.Delivered);

    public static FollowUpAnswerResult NeedsCallback { get; } = new(FollowUpAnswerOutcome.NeedsCallback);

    public static FollowUpAnswerResult NotFound { get; } = new(FollowUpAnswerOutcome.NotFound);

    public static FollowUpAnswerResult AlreadyAnswered { get; } = new(FollowUpAnswerOutcome.AlreadyAnswered);

    public static FollowUpAnswerResult Invalid(string error) => new(FollowUpAnswerOutcome.Invalid, error);
}

public enum FollowUpAnswerOutcome
{
    Delivered,
    NeedsCallback,
    NotFound,
    AlreadyAnswered,
    Invalid,
}
