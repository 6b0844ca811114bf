using ClinicBot.Bot.Proactive;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Schema;
using Microsoft.Extensions.Options;

namespace ClinicBot.Bot.BotFramework;

/// <summary>Proactive turns for conversations that came through Azure Bot Service (any HTTP service URL).</summary>
public sealed class CloudAdapterProactiveChannel(ClinicBotCloudAdapter adapter, IOptions<BotAuthenticationOptions> authentication) : IProactiveChannel
{
    public bool CanReach(ConversationReference reference) =>
        Uri.TryCreate(reference?.ServiceUrl, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttps || url.Scheme == Uri.UriSchemeHttp);

    public Task ContinueConversationAsync(ConversationReference reference, BotCallbackHandler callback, CancellationToken cancellationToken) =>
        adapter.ContinueConversationAsync(authentication.Value.MicrosoftAppId ?? string.Empty, reference, callback, cancellationToken);
}
