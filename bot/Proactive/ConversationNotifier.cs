using ClinicBot.Dialogs.Conversation;
using ClinicBot.Dialogs.Handoff;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Schema;
using Newtonsoft.Json.Linq;

namespace ClinicBot.Bot.Proactive;

/// <summary>
/// Delivers something to a patient's conversation from outside a turn by running a turn of the bot with
/// an event activity. The bot applies the event (handoff accepted, staff message, follow-up answer) in
/// order with the patient's own messages, and saves state as in any other turn.
/// </summary>
public sealed class ConversationNotifier(IEnumerable<IProactiveChannel> channels, IBot bot, ILogger<ConversationNotifier> logger)
{
    /// <summary>Runs the event in the conversation; false when no channel can reach it or delivery failed.</summary>
    public async Task<bool> NotifyAsync(string replyAddress, string eventName, object value, CancellationToken cancellationToken)
    {
        var reference = ReplyAddress.Read(replyAddress);
        if (reference is null)
        {
            logger.LogWarning("Cannot deliver {EventName}: the stored reply address is unreadable", eventName);
            return false;
        }

        var channel = channels.FirstOrDefault(c => c.CanReach(reference));
        if (channel is null)
        {
            logger.LogWarning("Cannot deliver {EventName} to conversation {ConversationId} on channel {ChannelId}: no adapter reaches it", eventName, reference.Conversation.Id, reference.ChannelId);
            return false;
        }

        try
        {
            await channel.ContinueConversationAsync(reference, async (turnContext, ct) =>
            {
                var activity = turnContext.Activity;
                activity.Type = ActivityTypes.Event;
                activity.Name = eventName;
                activity.Value = JObject.FromObject(value);
                await bot.OnTurnAsync(turnContext, ct);
            }, cancellationToken);
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Delivering {EventName} to conversation {ConversationId} failed", eventName, reference.Conversation.Id);
            return false;
        }
    }

    /// <summary>
    /// Sends the patient a message without running the bot (no dialog state is read or written), e.g. to confirm that
    /// their data was deleted. False when no channel can reach the conversation or delivery failed.
    /// </summary>
    public async Task<bool> SendTextAsync(string replyAddress, string text, CancellationToken cancellationToken)
    {
        var reference = ReplyAddress.Read(replyAddress);
        var channel = reference is null ? null : channels.FirstOrDefault(c => c.CanReach(reference));
        if (channel is null)
        {
            logger.LogWarning("Cannot send a message: the stored reply address is unreadable or no adapter reaches it");
            return false;
        }

        try
        {
            await channel.ContinueConversationAsync(reference!, (turnContext, ct) => turnContext.SendActivityAsync(MessageFactory.Text(text), ct), cancellationToken);
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Sending a message to conversation {ConversationId} failed", reference!.Conversation.Id);
            return false;
        }
    }

    /// <summary>Shows the patient a typing indicator (a staff member is writing); false when it could not be sent.</summary>
    public async Task<bool> SendTypingAsync(string replyAddress, CancellationToken cancellationToken)
    {
        var reference = ReplyAddress.Read(replyAddress);
        var channel = reference is null ? null : channels.FirstOrDefault(c => c.CanReach(reference));
        if (channel is null)
        {
            return false;
        }

        try
        {
            await channel.ContinueConversationAsync(reference!, (turnContext, ct) => turnContext.SendActivityAsync(new Activity { Type = ActivityTypes.Typing }, ct), cancellationToken);
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogDebug(ex, "Typing indicator to conversation {ConversationId} failed", reference!.Conversation.Id);
            return false;
        }
    }

    public Task<bool> NotifyHandoffAsync(HandoffRequest handoff, string eventName, HandoffEventValue value, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(handoff);
        return NotifyAsync(handoff.ReplyAddress, eventName, value, cancellationToken);
    }
}
