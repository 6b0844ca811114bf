using Microsoft.Bot.Builder;
using Microsoft.Bot.Schema;

namespace ClinicBot.Dialogs.Middleware;

/// <summary>
/// The first middleware: an activity a channel delivers twice (same channel, conversation and activity id) runs
/// its turn once. The redelivery ends here without a reply, so the channel gets its 200 and the patient sees one
/// set of answers. Proactive continuations (which reuse the original activity's id) and activities without an
/// id are never deduplicated.
/// </summary>
public sealed class DuplicateDeliveryGuard(IActivityDeduplicator deliveries) : IMiddleware
{
    /// <summary>The dedupe key of an incoming activity, or null when it cannot be deduplicated.</summary>
    public static string? KeyOf(IActivity? activity)
    {
        if (activity is null || string.IsNullOrEmpty(activity.Id) || string.IsNullOrEmpty(activity.ChannelId)
            || string.IsNullOrEmpty(activity.Conversation?.Id))
        {
            return null;
        }

        if (activity.Type == ActivityTypes.Event && activity is IEventActivity { Name: ActivityEventNames.ContinueConversation })
        {
            return null;
        }

        return $"{activity.ChannelId}|{activity.Conversation.Id}|{activity.Id}";
    }

    public async Task OnTurnAsync(ITurnContext turnContext, NextDelegate next, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        ArgumentNullException.ThrowIfNull(next);
        var key = KeyOf(turnContext.Activity);
        if (key is null)
        {
            await next(cancellationToken);
            return;
        }

        var claim = await deliveries.ClaimAsync(key, cancellationToken);
        if (!claim.IsFirst)
        {
            return;
        }

        try
        {
            await next(cancellationToken);
        }
        catch
        {
            await deliveries.ReleaseAsync(key, CancellationToken.None);
            throw;
        }

        await deliveries.CompleteAsync(key, null, CancellationToken.None);
    }
}
