using ClinicBot.Dialogs.Bots;
using ClinicBot.Dialogs.Handoff;
using ClinicBot.Dialogs.Middleware;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Schema;

namespace ClinicBot.Bot.Messenger;

/// <summary>A message could not be sent to Messenger (outside the messaging window, or the Send API refused it).</summary>
public sealed class MessengerNotDeliveredException(string conversationId, int count)
    : Exception($"{count} message(s) to Messenger conversation {conversationId} were not delivered.")
{
    public string ConversationId { get; } = conversationId;
}

/// <summary>
/// Bot Framework adapter for the direct Messenger channel: runs turns of the bot (through ClinicBot's middleware and
/// turn-error policy) for activities built from webhook events, and sends what the bot says through the Send API:
/// text split at 2,000 characters, suggested actions as quick replies, typing as <c>typing_on</c>, URL attachments
/// as attachments. Every message obeys <see cref="MessengerMessagingWindow"/>; one that may not go out is logged
/// and counted as not delivered for the turn.
/// </summary>
public sealed class MessengerAdapter : BotAdapter
{
    /// <summary>The service URL of Messenger-direct conversation references: not HTTP, so only this adapter claims them.</summary>
    public const string ServiceUrl = "urn:clinicbot:messenger";

    public const string ChannelId = MessengerLengthLimit.MessengerChannelId;

    private const int MaxQuickReplies = 13;
    private const int MaxQuickReplyTitle = 20;
    private const int MaxQuickReplyPayload = 1000;
    private const string UndeliveredKey = "ClinicBot.Messenger.Undelivered";

    private readonly MessengerGraphClient _graph;
    private readonly MessengerInbox _inbox;
    private readonly TimeProvider _time;
    private readonly ILogger<MessengerAdapter> _logger;

    public MessengerAdapter(
        MessengerGraphClient graph,
        MessengerInbox inbox,
        TimeProvider time,
        ILogger<MessengerAdapter> logger,
        TurnErrorHandler turnErrorHandler,
        IEnumerable<Microsoft.Bot.Builder.IMiddleware> middleware)
    {
        ArgumentNullException.ThrowIfNull(turnErrorHandler);
        _graph = graph;
        _inbox = inbox;
        _time = time;
        _logger = logger;
        OnTurnError = turnErrorHandler.HandleAsync;
        foreach (var component in middleware)
        {
            Use(component);
        }
    }

    /// <summary>The conversation id of a patient's Messenger conversation with a page.</summary>
    public static string ConversationIdFor(string pageId, string psid) => pageId + "-" + psid;

    /// <summary>Runs one turn for an activity built from a webhook event; returns how many messages were not delivered.</summary>
    public async Task<int> ProcessActivityAsync(Activity activity, BotCallbackHandler callback, CancellationToken cancellationToken)
    {
        using var context = new TurnContext(this, activity);
        await RunPipelineAsync(context, callback, cancellationToken);
        return Undelivered(context);
    }

    /// <summary>
    /// Runs a proactive turn in a Messenger conversation; throws <see cref="MessengerNotDeliveredException"/> after the
    /// turn when any message could not be delivered, so callers report it as not delivered.
    /// </summary>
    public async Task ContinueConversationAsync(ConversationReference reference, BotCallbackHandler callback, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reference);
        using var context = new TurnContext(this, reference.GetContinuationActivity());
        await RunPipelineAsync(context, callback, cancellationToken);
        var undelivered = Undelivered(context);
        if (undelivered > 0)
        {
            throw new MessengerNotDeliveredException(reference.Conversation?.Id ?? string.Empty, undelivered);
        }
    }

    public override Task ContinueConversationAsync(string botId, ConversationReference reference, BotCallbackHandler callback, CancellationToken cancellationToken) =>
        ContinueConversationAsync(reference, callback, cancellationToken);

    /// <summary>Shows the typing indicator (best effort: a failure is logged, never thrown).</summary>
    public async Task SendTypingAsync(string psid, CancellationToken cancellationToken)
    {
        try
        {
            await _graph.SendAsync(new SendRequest(new SendRecipient(psid), SenderAction: "typing_on"), cancellationToken);
        }
        catch (Exception ex) when (ex is MessengerGraphException or HttpRequestException)
        {
            Logging.PatientLog.MessengerTypingFailed(_logger, psid, ex.GetType().Name);
        }
    }

    public override async Task<ResourceResponse[]> SendActivitiesAsync(ITurnContext turnContext, Activity[] activities, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        ArgumentNullException.ThrowIfNull(activities);
        var responses = new ResourceResponse[activities.Length];
        for (var i = 0; i < activities.Length; i++)
        {
            var activity = activities[i];
            var psid = RecipientOf(activity);
            switch (activity.Type)
            {
                case ActivityTypes.Message when psid is not null:
                    responses[i] = new ResourceResponse(await SendMessageAsync(turnContext, activity, psid, cancellationToken));
                    break;
                case ActivityTypes.Typing when psid is not null:
                    await SendTypingAsync(psid, cancellationToken);
                    responses[i] = new ResourceResponse();
                    break;
                case ActivityTypes.Delay:
                    var delay = activity.Value is IConvertible ms ? Math.Clamp(ms.ToInt32(System.Globalization.CultureInfo.InvariantCulture), 0, 10_000) : 1000;
                    await Task.Delay(delay, cancellationToken);
                    responses[i] = new ResourceResponse();
                    break;
                default:
                    // Traces, events, end of conversation: nothing to show in Messenger.
                    responses[i] = new ResourceResponse();
                    break;
            }
        }

        return responses;
    }

    public override Task<ResourceResponse> UpdateActivityAsync(ITurnContext turnContext, Activity activity, CancellationToken cancellationToken) =>
        throw new NotSupportedException("Messenger messages cannot be edited.");

    public override Task DeleteActivityAsync(ITurnContext turnContext, ConversationReference reference, CancellationToken cancellationToken) =>
        throw new NotSupportedException("Messenger messages cannot be deleted by the page.");

    private async Task<string?> SendMessageAsync(ITurnContext turnContext, Activity activity, string psid, CancellationToken cancellationToken)
    {
        var messages = ToMessages(activity);
        if (messages.Count == 0)
        {
            return null;
        }

        var fromStaff = OutgoingSender.IsStaff(activity);
        var lastInbound = await _inbox.GetLastInboundAsync(psid, cancellationToken);
        var delivery = MessengerMessagingWindow.Decide(lastInbound, _time.GetUtcNow(), fromStaff);
        if (!delivery.Allowed)
        {
            _logger.LogWarning(
                "Not sending a {Sender} message to {Psid} in conversation {ConversationId}: {Reason}",
                fromStaff ? "staff" : "bot",
                psid,
                activity.Conversation?.Id,
                delivery.Reason);
            CountUndelivered(turnContext, 1);
            return null;
        }

        string? lastId = null;
        for (var i = 0; i < messages.Count; i++)
        {
            try
            {
                lastId = await _graph.SendAsync(new SendRequest(new SendRecipient(psid), delivery.MessagingType, messages[i], Tag: delivery.Tag), cancellationToken);
            }
            catch (Exception ex) when (ex is MessengerGraphException or HttpRequestException)
            {
                CountUndelivered(turnContext, 1);
                _logger.LogWarning("Send API refused part {Part} of {Parts} for {Psid}: {Reason}", i + 1, messages.Count, psid, ex is MessengerGraphException ? ex.Message : ex.GetType().Name);
                throw;
            }
        }

        return lastId;
    }

    /// <summary>The Send API messages for one activity: text parts, then URL attachments; quick replies on the last.</summary>
    internal static List<OutgoingMessage> ToMessages(Activity activity)
    {
        var messages = new List<OutgoingMessage>();
        if (!string.IsNullOrWhiteSpace(activity.Text))
        {
            messages.AddRange(MessageSplitter.Split(activity.Text, MessengerLengthLimit.MaxMessageLength).Select(part => new OutgoingMessage(Text: part)));
        }

        foreach (var attachment in activity.Attachments ?? [])
        {
            if (Uri.TryCreate(attachment.ContentUrl, UriKind.Absolute, out var url) && url.Scheme == Uri.UriSchemeHttps)
            {
                var type = attachment.ContentType?.Split('/')[0] switch
                {
                    "image" => "image",
                    "video" => "video",
                    "audio" => "audio",
                    _ => "file",
                };
                messages.Add(new OutgoingMessage(Attachment: new OutgoingAttachment(type, new OutgoingAttachmentPayload(url.AbsoluteUri))));
            }
        }

        var quickReplies = QuickRepliesOf(activity);
        if (quickReplies is not null)
        {
            if (messages.Count == 0)
            {
                return messages; // Messenger needs text or an attachment to hang quick replies on.
            }

            messages[^1] = messages[^1] with { QuickReplies = quickReplies };
        }

        return messages;
    }

    private static List<OutgoingQuickReply>? QuickRepliesOf(Activity activity)
    {
        var replies = (activity.SuggestedActions?.Actions ?? [])
            .Select(action =>
            {
                var title = action.Title ?? action.Value?.ToString() ?? action.Text;
                var payload = action.Value?.ToString() ?? action.Text ?? action.Title;
                if (string.IsNullOrWhiteSpace(title) || string.IsNullOrWhiteSpace(payload))
                {
                    return null;
                }

                title = title.Length <= MaxQuickReplyTitle ? title : title[..(MaxQuickReplyTitle - 1)].TrimEnd() + "…";
                payload = payload.Length <= MaxQuickReplyPayload ? payload : payload[..MaxQuickReplyPayload];
                return new OutgoingQuickReply("text", title, payload);
            })
            .OfType<OutgoingQuickReply>()
            .Take(MaxQuickReplies)
            .ToList();
        return replies.Count == 0 ? null : replies;
    }

    private static string? RecipientOf(Activity activity)
    {
        if (!string.IsNullOrEmpty(activity.Recipient?.Id))
        {
            return activity.Recipient.Id;
        }

        var conversationId = activity.Conversation?.Id;
        var dash = conversationId?.IndexOf('-', StringComparison.Ordinal) ?? -1;
        return dash > 0 ? conversationId![(dash + 1)..] : null;
    }

    private static void CountUndelivered(ITurnContext turnContext, int count) =>
        turnContext.TurnState[UndeliveredKey] = Undelivered(turnContext) + count;

    private static int Undelivered(ITurnContext turnContext) =>
        turnContext.TurnState.Get<object>(UndeliveredKey) is int count ? count : 0;
}
