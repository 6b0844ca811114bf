using Microsoft.Bot.Builder;
using Microsoft.Extensions.Logging;
using ClinicBot.Dialogs.Phrasing;

namespace ClinicBot.Dialogs.Bots;

/// <summary>
/// The one turn-error policy every channel adapter uses: log what failed (ids only: message text is
/// health data), apologise to the patient, and clear the conversation's dialog state so nobody is stuck
/// replaying the step that failed.
/// </summary>
public sealed class TurnErrorHandler(ConversationState conversationState, ILogger<TurnErrorHandler> logger)
{
    public async Task HandleAsync(ITurnContext turnContext, Exception exception)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        var activity = turnContext.Activity;
        logger.LogError(
            exception,
            "Turn failed on channel {ChannelId}, conversation {ConversationId}, activity {ActivityId} of type {ActivityType}",
            activity?.ChannelId,
            activity?.Conversation?.Id,
            activity?.Id,
            activity?.Type);

        try
        {
            await conversationState.DeleteAsync(turnContext, CancellationToken.None);
        }
        catch (Exception clearFailure)
        {
            logger.LogError(clearFailure, "Could not clear dialog state of conversation {ConversationId}", activity?.Conversation?.Id);
        }

        try
        {
            await turnContext.SendActivityAsync(SystemPhrases.TurnFailedApology, cancellationToken: CancellationToken.None);
        }
        catch (Exception sendFailure)
        {
            logger.LogError(sendFailure, "Could not send the turn-error apology to conversation {ConversationId}", activity?.Conversation?.Id);
        }
    }
}
