using Microsoft.Bot.Builder;
using Microsoft.Extensions.Logging;
using ClinicBot.Dialogs.Phrasing;
using ClinicBot.Dialogs.State;

namespace ClinicBot.Dialogs.Bots;

/// <summary>
/// The one turn-error policy every channel adapter uses: log what failed (ids only: message text is
/// health data), apologise to the patient, and clear the conversation's dialog state so nobody is stuck
/// replaying the step that failed.
/// </summary>
public sealed class TurnErrorHandler(StateStore state, ILogger<TurnErrorHandler> logger)
{
    public async Task HandleAsync(ITurnContext turnContext, Exception exception)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        var activity = turnContext.Activity;
        // Exception messages can quote what the patient wrote (parsers, validators), so only the exception
        // types and the stack trace are logged, never the message.
        logger.LogError(
            "Turn failed on channel {ChannelId}, conversation {ConversationId}, activity {ActivityId} of type {ActivityType}: {ExceptionTypes}{NewLine}{StackTrace}",
            activity?.ChannelId,
            activity?.Conversation?.Id,
            activity?.Id,
            activity?.Type,
            ExceptionTypes(exception),
            Environment.NewLine,
            exception?.StackTrace);

        try
        {
            await state.DeleteConversationStateAsync(turnContext, CancellationToken.None);
        }
        catch (Exception clearFailure)
        {
            logger.LogError("Could not clear dialog state of conversation {ConversationId}: {ExceptionTypes}", activity?.Conversation?.Id, ExceptionTypes(clearFailure));
        }

        try
        {
            await turnContext.SendActivityAsync(SystemPhrases.TurnFailedApology, cancellationToken: CancellationToken.None);
        }
        catch (Exception sendFailure)
        {
            logger.LogError("Could not send the turn-error apology to conversation {ConversationId}: {ExceptionTypes}", activity?.Conversation?.Id, ExceptionTypes(sendFailure));
        }
    }

    private static string ExceptionTypes(Exception? exception)
    {
        var types = new List<string>();
        for (var current = exception; current is not null && types.Count < 5; current = current.InnerException)
        {
            types.Add(current.GetType().FullName ?? current.GetType().Name);
        }

        return string.Join(" <- ", types);
    }
}
