using ClinicBot.Dialogs.Phrasing;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Schema;
using Microsoft.Extensions.Options;

namespace ClinicBot.Dialogs.Middleware;

/// <summary>
/// Answers an over-long message with a polite request for a shorter one, before any dialog or recognizer
/// spends time on it. The message is not processed, so nothing half-read drives a decision.
/// </summary>
public sealed class MessageLengthGuard(IOptions<ConversationOptions> options) : IMiddleware
{
    public async Task OnTurnAsync(ITurnContext turnContext, NextDelegate next, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        ArgumentNullException.ThrowIfNull(next);
        var max = options.Value.MaxMessageLength;
        if (turnContext.Activity.Type == ActivityTypes.Message && turnContext.Activity.Text?.Length > max)
        {
            await turnContext.SendActivityAsync(SystemPhrases.MessageTooLong(max), cancellationToken: cancellationToken);
            return;
        }

        await next(cancellationToken);
    }
}
