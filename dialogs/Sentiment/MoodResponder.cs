using ClinicBot.Dialogs.Clinic;
using ClinicBot.Dialogs.Conversation;
using ClinicBot.Dialogs.Handoff;
using ClinicBot.Dialogs.Patients;
using ClinicBot.Dialogs.Phrasing;
using Microsoft.Bot.Builder;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ClinicBot.Dialogs.Sentiment;

/// <summary>
/// Reads the mood of every patient message and acts on it before the request is handled: empathy first
/// for frustration and anger, a supervisor when anger persists, one calm boundary for abuse, and a
/// supervisor handoff (flagged abusive) when abuse continues.
/// </summary>
public sealed class MoodResponder(
    ISentimentDetector detector,
    IOptions<SentimentOptions> options,
    IHandoffQueue handoffQueue,
    ConversationStateAccessors accessors,
    ClinicCalendar calendar,
    ILogger<MoodResponder> logger)
{
    public async Task<MoodOutcome> RespondAsync(ITurnContext turnContext, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        var text = turnContext.Activity.Text ?? string.Empty;
        var reading = detector.Read(text);
        var conversation = await accessors.Conversation.GetAsync(turnContext, () => new ConversationData(), cancellationToken);
        conversation.LastMood = reading.Mood.ToString().ToLowerInvariant();

        switch (reading.Mood)
        {
            case Mood.Abusive:
                conversation.AbusiveMessages++;
                if (conversation.AbusiveMessages < options.Value.AbusiveMessagesBeforeHandoff)
                {
                    await turnContext.SendActivityAsync(DifficultConversationPhrases.AbuseBoundary, cancellationToken: cancellationToken);
                    await turnContext.SendActivityAsync(DifficultConversationPhrases.AbuseBoundaryContinue, cancellationToken: cancellationToken);
                    return MoodOutcome.Handled;
                }

                await HandOffAbusiveChatAsync(turnContext, conversation, cancellationToken);
                return MoodOutcome.Handled;

            case Mood.Angry:
                conversation.AngryMessages++;
                await turnContext.SendActivityAsync(DifficultConversationPhrases.Acknowledge(text, angry: true), cancellationToken: cancellationToken);
                if (conversation.AngryMessages >= options.Value.AngryMessagesBeforeSupervisor && !conversation.SupervisorOffered)
                {
                    conversation.SupervisorOffered = true;
                    return MoodOutcome.OfferSupervisor;
                }

                return MoodOutcome.Continue;

            case Mood.Frustrated:
                await turnContext.SendActivityAsync(DifficultConversationPhrases.Acknowledge(text, angry: false), cancellationToken: cancellationToken);
                return MoodOutcome.Continue;

            default:
                return MoodOutcome.Continue;
        }
    }

    private async Task HandOffAbusiveChatAsync(ITurnContext turnContext, ConversationData conversation, CancellationToken cancellationToken)
    {
        var profile = await accessors.Profile.GetAsync(turnContext, () => new PatientProfile(), cancellationToken);
        var handoff = HandoffRequests.FromTurn(turnContext, profile, conversation, "supervisor", HandoffReason.Abuse, HandoffPriority.High, request: null, calendar.Now, sentiment: "abusive");

        // Durable before the patient is told; from here the bot stops replying to each message.
        await handoffQueue.EnqueueAsync(handoff, cancellationToken);
        conversation.ActiveHandoffId = handoff.Id;
        conversation.HandoffStage = HandoffStage.Waiting;
        await accessors.DialogState.DeleteAsync(turnContext, cancellationToken);
        await turnContext.SendActivityAsync(DifficultConversationPhrases.AbuseEnded, cancellationToken: cancellationToken);
        logger.LogWarning("Conversation {ConversationId} handed to the supervisor queue as abusive ({HandoffId})", turnContext.Activity.Conversation?.Id, handoff.Id);
    }
}

public enum MoodOutcome
{
    /// <summary>Carry on with the patient's request.</summary>
    Continue,

    /// <summary>The mood response was the whole reply to this message.</summary>
    Handled,

    /// <summary>Offer a supervisor instead of carrying on.</summary>
    OfferSupervisor,
}
