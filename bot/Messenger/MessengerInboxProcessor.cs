using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading.Channels;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Schema;
using Microsoft.Extensions.Options;
using Newtonsoft.Json.Linq;

namespace ClinicBot.Bot.Messenger;

/// <summary>Wakes the inbox processor when the webhook has recorded new events.</summary>
public sealed class MessengerInboxSignal
{
    private readonly Channel<bool> _channel = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public void Notify() => _channel.Writer.TryWrite(true);

    /// <summary>Waits for a notification or the timeout, whichever comes first.</summary>
    public async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        try
        {
            await _channel.Reader.WaitToReadAsync(timeoutSource.Token);
            _channel.Reader.TryRead(out _);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
        }
    }
}

/// <summary>
/// Works through the Messenger inbox in arrival order: at start (replaying whatever a stopped process left), whenever
/// the webhook records events, and every half minute. A message or postback becomes a turn of the bot on the
/// <see cref="MessengerAdapter"/> (with the typing indicator and the patient's first name from the profile); a page
/// comment goes to <see cref="MessengerCommentHandler"/>. An event that fails three times is set aside as failed.
/// </summary>
public sealed partial class MessengerInboxProcessor(
    MessengerInbox inbox,
    MessengerInboxSignal signal,
    MessengerAdapter adapter,
    MessengerProfiles profiles,
    MessengerCommentHandler comments,
    IBot bot,
    IOptions<MessengerOptions> options,
    TimeProvider time,
    ILogger<MessengerInboxProcessor> logger) : BackgroundService
{
    public const int MaxAttempts = 3;

    private static readonly TimeSpan IdlePoll = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            return;
        }

        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await inbox.PruneAsync(stoppingToken);
                // Drain the inbox; after a failure, wait (for new events or the poll interval) before retrying.
                int processed, failed;
                do
                {
                    (processed, failed) = await ProcessPendingAsync(stoppingToken);
                }
                while (processed > 0 && failed == 0);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "The Messenger inbox could not be read; retrying shortly");
            }

            await signal.WaitAsync(IdlePoll, stoppingToken);
        }
    }

    /// <summary>Processes one batch of pending events; returns how many there were and how many failed.</summary>
    public async Task<(int Processed, int Failed)> ProcessPendingAsync(CancellationToken cancellationToken)
    {
        var pending = await inbox.GetPendingAsync(50, cancellationToken);
        var failed = 0;
        foreach (var item in pending)
        {
            if (!await ProcessAsync(item, cancellationToken))
            {
                failed++;
            }
        }

        return (pending.Count, failed);
    }

    /// <summary>False when the event failed and stays pending for a later attempt.</summary>
    private async Task<bool> ProcessAsync(MessengerPendingEvent item, CancellationToken cancellationToken)
    {
        if (item.Attempts >= MaxAttempts)
        {
            logger.LogError("Messenger event {Sequence} ({Kind}) failed {Attempts} times; set aside", item.Sequence, item.Event.Kind, item.Attempts);
            await inbox.CompleteAsync(item.Sequence, "failed", cancellationToken);
            return true;
        }

        await inbox.BeginAttemptAsync(item.Sequence, cancellationToken);
        try
        {
            var outcome = item.Event.Kind switch
            {
                MessengerEventKinds.Messaging => await ProcessMessagingAsync(item.Event, cancellationToken),
                MessengerEventKinds.Feed => await comments.HandleAsync(item.Event.PageId, JsonSerializer.Deserialize<FeedChange>(item.Event.Payload, MessengerJson.Options)!, cancellationToken),
                _ => "ignored",
            };
            await inbox.CompleteAsync(item.Sequence, outcome, cancellationToken);
            return true;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            // Left pending: retried on the next pass (the attempt is counted).
            logger.LogWarning(ex, "Processing Messenger event {Sequence} ({Kind}) failed (attempt {Attempt})", item.Sequence, item.Event.Kind, item.Attempts + 1);
            return false;
        }
    }

    private async Task<string> ProcessMessagingAsync(MessengerInboxEvent item, CancellationToken cancellationToken)
    {
        var messaging = JsonSerializer.Deserialize<MessagingEvent>(item.Payload, MessengerJson.Options);
        var psid = messaging?.Sender?.Id;
        if (messaging is null || string.IsNullOrEmpty(psid) || (messaging.Message is null && messaging.Postback is null))
        {
            return "ignored";
        }

        var now = time.GetUtcNow();
        var sentAt = messaging.Timestamp > 0 ? DateTimeOffset.FromUnixTimeMilliseconds(messaging.Timestamp) : now;
        if (sentAt > now)
        {
            sentAt = now;
        }

        await inbox.RecordInboundAsync(psid, item.PageId, sentAt, cancellationToken);
        await adapter.SendTypingAsync(psid, cancellationToken);
        var profile = await profiles.GetAsync(psid, cancellationToken);
        var activity = ToActivity(messaging, item, psid, profile?.DisplayName, sentAt);
        var undelivered = await adapter.ProcessActivityAsync(activity, bot.OnTurnAsync, cancellationToken);
        if (undelivered > 0)
        {
            logger.LogWarning("{Count} reply message(s) in conversation {ConversationId} were not delivered", undelivered, activity.Conversation.Id);
        }

        return undelivered > 0 ? "processed, some replies not delivered" : "processed";
    }

    internal static Activity ToActivity(MessagingEvent messaging, MessengerInboxEvent item, string psid, string? name, DateTimeOffset sentAt)
    {
        var activity = new Activity
        {
            Type = ActivityTypes.Message,
            Id = messaging.Message?.Mid ?? messaging.Postback?.Mid ?? item.Key,
            Timestamp = sentAt,
            ChannelId = MessengerAdapter.ChannelId,
            ServiceUrl = MessengerAdapter.ServiceUrl,
            From = new ChannelAccount(psid, name, RoleTypes.User),
            Recipient = new ChannelAccount(item.PageId, role: RoleTypes.Bot),
            Conversation = new ConversationAccount(id: MessengerAdapter.ConversationIdFor(item.PageId, psid)),
            Attachments = [],
        };

        if (messaging.Message is { } message)
        {
            activity.Text = message.QuickReply?.Payload is { Length: > 0 } payload ? payload : message.Text;
            foreach (var attachment in message.Attachments ?? [])
            {
                activity.Attachments.Add(new Attachment { ContentType = attachment.Type ?? "file", ContentUrl = attachment.Payload?.Url });
            }
        }
        else if (messaging.Postback is { } postback)
        {
            // A code-like payload ("GET_STARTED") means nothing to the conversation; the button's title does.
            activity.Text = postback.Payload is { Length: > 0 } payload && !CodeLike().IsMatch(payload) ? payload : postback.Title;
            activity.Value = postback.Payload is null ? null : JObject.FromObject(new { postback = postback.Payload });
        }

        return activity;
    }

    [GeneratedRegex("^[A-Z0-9_:.-]+$")]
    private static partial Regex CodeLike();
}
