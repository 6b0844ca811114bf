using ClinicBot.Dialogs.Middleware;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Schema;

namespace ClinicBot.Bot.DirectLine;

/// <summary>
/// Starts built-in Direct Line conversations and runs what the patient posts through the bot: the activity
/// is stamped (server id, timestamp, the token's user id), logged and echoed to the conversation's streams,
/// which is how Web Chat learns it was delivered, and then handed to the bot in the same request.
/// </summary>
public sealed class DirectLineConversations(
    DirectLineAdapter adapter,
    DirectLineActivityLog log,
    DirectLineStreams streams,
    IBot bot,
    TimeProvider time,
    IActivityDeduplicator deliveries,
    ILogger<DirectLineConversations> logger)
{
    /// <summary>Activity types a client may post.</summary>
    public static readonly IReadOnlySet<string> AcceptedTypes = new HashSet<string>(StringComparer.Ordinal)
    {
        ActivityTypes.Message,
        ActivityTypes.Event,
        ActivityTypes.Typing,
    };

    /// <summary>Creates the conversation and tells the bot that the bot and the user joined; false when it already existed.</summary>
    public async Task<bool> StartAsync(DirectLineGrant grant, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(grant);
        if (!await log.CreateConversationAsync(grant.ConversationId, grant.UserId, cancellationToken))
        {
            return false;
        }

        Logging.PatientLog.DirectLineConversationStarted(logger, grant.ConversationId, grant.VerifiedName, grant.VerifiedPatientId is not null);
        var user = new ChannelAccount(grant.UserId, grant.VerifiedName, RoleTypes.User);
        var update = new Activity
        {
            Type = ActivityTypes.ConversationUpdate,
            Id = grant.ConversationId + "|start",
            Timestamp = time.GetUtcNow(),
            ChannelId = DirectLineAdapter.ChannelId,
            ServiceUrl = DirectLineAdapter.ServiceUrl,
            Conversation = new ConversationAccount(id: grant.ConversationId),
            From = user,
            Recipient = DirectLineAdapter.Bot,
            MembersAdded = [DirectLineAdapter.Bot, user],
        };

        // The bot may greet here; its greeting lands in the log before the client opens its stream.
        await adapter.ProcessActivityAsync(update, grant.VerifiedPatientId, bot.OnTurnAsync, CancellationToken.None);
        return true;
    }

    /// <summary>
    /// Logs and echoes the activity, then runs the bot's turn for it. Returns the activity's id. A client retry of
    /// the same activity (same client id: the activity's <c>id</c> or Web Chat's <c>channelData.clientActivityID</c>)
    /// is not logged or run again; it gets the id the first delivery was given.
    /// </summary>
    public async Task<string> PostAsync(DirectLineGrant grant, Activity activity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(grant);
        ArgumentNullException.ThrowIfNull(activity);
        var conversationId = grant.ConversationId;
        var clientId = ClientActivityId(activity);
        var key = clientId is null || activity.Type == ActivityTypes.Typing ? null : $"directline-client|{conversationId}|{clientId}";
        if (key is not null)
        {
            var claim = await deliveries.ClaimAsync(key, cancellationToken);
            if (!claim.IsFirst)
            {
                logger.LogInformation("Direct Line conversation {ConversationId}: a redelivered activity was not processed again", conversationId);
                return claim.Result ?? string.Empty;
            }
        }

        try
        {
            var id = await PostOnceAsync(grant, activity, cancellationToken);
            if (key is not null)
            {
                await deliveries.CompleteAsync(key, id, CancellationToken.None);
            }

            return id;
        }
        catch when (key is not null)
        {
            await deliveries.ReleaseAsync(key, CancellationToken.None);
            throw;
        }
    }

    /// <summary>The id the client gave the activity, at most 128 characters; null when it gave none.</summary>
    internal static string? ClientActivityId(Activity activity)
    {
        var id = activity.Id;
        if (string.IsNullOrWhiteSpace(id) && activity.ChannelData is Newtonsoft.Json.Linq.JObject data
            && data["clientActivityID"] is Newtonsoft.Json.Linq.JValue { Type: Newtonsoft.Json.Linq.JTokenType.String } value)
        {
            id = (string?)value;
        }

        return string.IsNullOrWhiteSpace(id) || id.Length > 128 ? null : id;
    }

    private async Task<string> PostOnceAsync(DirectLineGrant grant, Activity activity, CancellationToken cancellationToken)
    {
        var conversationId = grant.ConversationId;
        activity.ChannelId = DirectLineAdapter.ChannelId;
        activity.ServiceUrl = DirectLineAdapter.ServiceUrl;
        activity.Conversation = new ConversationAccount(id: conversationId);

        // The token decides who is speaking; the client's name is a display name and nothing more.
        var displayName = activity.From?.Name is { Length: > 0 } name ? name[..Math.Min(name.Length, 100)] : null;
        activity.From = new ChannelAccount(grant.UserId, grant.VerifiedName ?? displayName, RoleTypes.User);
        activity.Recipient = DirectLineAdapter.Bot;

        if (activity.Type == ActivityTypes.Typing)
        {
            activity.Id = conversationId + "|typing-" + Guid.NewGuid().ToString("N")[..8];
            activity.Timestamp = time.GetUtcNow();
            streams.Publish(conversationId, new LoggedActivity(0, DirectLineActivityLog.Serialize(activity)));
        }
        else
        {
            await log.AppendAsync(conversationId, activity, a => streams.Publish(conversationId, a), cancellationToken);
        }

        // The turn is not cancelled when the client goes away mid-turn, nor when the host starts shutting down: state
        // must be saved consistently, and a graceful shutdown (Shutdown:TimeoutSeconds) lets in-flight turns finish.
        await adapter.ProcessActivityAsync(activity, grant.VerifiedPatientId, bot.OnTurnAsync, CancellationToken.None);
        return activity.Id!;
    }
}
