using ClinicBot.Bot.Proactive;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Schema;
using Microsoft.Extensions.Options;

namespace ClinicBot.Bot.Messenger;

/// <summary>
/// Proactive turns (staff replies, follow-up answers, handoff changes) in Messenger-direct conversations. A message
/// Messenger's windows do not allow makes the turn fail with <see cref="MessengerNotDeliveredException"/>, which the
/// notifier reports as not delivered.
/// </summary>
public sealed class MessengerProactiveChannel(MessengerAdapter adapter, IOptions<MessengerOptions> options) : IProactiveChannel
{
    public bool CanReach(ConversationReference reference) =>
        options.Value.Enabled
        && string.Equals(reference?.ServiceUrl, MessengerAdapter.ServiceUrl, StringComparison.Ordinal)
        && string.Equals(reference?.ChannelId, MessengerAdapter.ChannelId, StringComparison.Ordinal);

    public Task ContinueConversationAsync(ConversationReference reference, BotCallbackHandler callback, CancellationToken cancellationToken) =>
        adapter.ContinueConversationAsync(reference, callback, cancellationToken);
}
