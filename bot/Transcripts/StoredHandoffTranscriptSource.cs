using ClinicBot.Dialogs.Handoff;
using Microsoft.Bot.Schema;
using Microsoft.Extensions.Options;

namespace ClinicBot.Bot.Transcripts;

/// <summary>The recorded conversation as activities for the Bot Framework <c>handoff.initiate</c> event.</summary>
public sealed class StoredHandoffTranscriptSource(ConversationTranscriptStore store, IOptions<TranscriptOptions> options) : IHandoffTranscriptSource
{
    public async Task<IList<Activity>> GetActivitiesAsync(string conversationId, CancellationToken cancellationToken)
    {
        var entries = await store.GetAsync(conversationId, options.Value.ContextMessageLimit, cancellationToken);
        return entries.Select(e => new Activity
        {
            Type = ActivityTypes.Message,
            Id = e.ActivityId,
            Text = e.Text,
            Timestamp = e.At,
            Conversation = new ConversationAccount(id: conversationId),
            From = new ChannelAccount(role: e.Role == TranscriptRole.Patient ? RoleTypes.User : RoleTypes.Bot, name: e.Role.ToString().ToLowerInvariant()),
        }).ToList();
    }
}
