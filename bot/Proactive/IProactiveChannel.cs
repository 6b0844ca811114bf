using Microsoft.Bot.Builder;
using Microsoft.Bot.Schema;

namespace ClinicBot.Bot.Proactive;

/// <summary>
/// A channel adapter that can start a turn in an existing conversation (staff replies, follow-up answers,
/// handoff changes). Each adapter (Azure Bot Service, built-in Direct Line, Messenger) provides one.
/// </summary>
public interface IProactiveChannel
{
    /// <summary>Whether this adapter owns conversations with this reference.</summary>
    bool CanReach(ConversationReference reference);

    Task ContinueConversationAsync(ConversationReference reference, BotCallbackHandler callback, CancellationToken cancellationToken);
}
