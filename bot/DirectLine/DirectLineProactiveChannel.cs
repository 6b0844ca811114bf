using ClinicBot.Bot.Proactive;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Schema;

namespace ClinicBot.Bot.DirectLine;

/// <summary>Proactive turns (staff replies, follow-up answers) in built-in Direct Line conversations.</summary>
public sealed class DirectLineProactiveChannel(DirectLineAdapter adapter) : IProactiveChannel
{
    public bool CanReach(ConversationReference reference) =>
        string.Equals(reference?.ServiceUrl, DirectLineAdapter.ServiceUrl, StringComparison.Ordinal);

    public Task ContinueConversationAsync(ConversationReference reference, BotCallbackHandler callback, CancellationToken cancellationToken) =>
        adapter.ContinueConversationAsync(string.Empty, reference, callback, cancellationToken);
}
