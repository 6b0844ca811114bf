using ClinicBot.Dialogs.Conversation;
using ClinicBot.Dialogs.Patients;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Schema;
using Newtonsoft.Json.Linq;

namespace ClinicBot.Bot.Transcripts;

/// <summary>
/// Records every message of a patient conversation, in and out, with the sender's role and time (an
/// <c>ITranscriptLogger</c>-style middleware backed by <see cref="ConversationTranscriptStore"/>). The patient's message
/// is queued for writing before the bot handles it, replies once the channel accepted them; the turn ends only after
/// they are committed, so when the channel gets its answer staff can already see them. Staff messages are told apart by
/// the <c>{"clinicbot":{"sender":"staff"}}</c> channel data the bot puts on them.
/// </summary>
/// <remarks>
/// The bot does not wait for each transcript write: they go to the database's single writer, which commits in order
/// and in groups, and are awaited once at the end of the turn, by when the turn's state save (queued after them) has
/// usually committed them already. Waiting on each one added two or three commit waits to every dialog turn, and any
/// slow commit (a checkpoint, the writer pre-empted) held up every turn waiting on it. A write that fails leaves a gap
/// in the transcript and a warning; it does not fail a turn whose replies the patient already has.
/// </remarks>
public sealed class TranscriptMiddleware(ConversationTranscriptStore store, TimeProvider time, ILogger<TranscriptMiddleware> logger) : Microsoft.Bot.Builder.IMiddleware
{
    public async Task OnTurnAsync(ITurnContext turnContext, NextDelegate next, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        ArgumentNullException.ThrowIfNull(next);
        var activity = turnContext.Activity;
        var conversationId = activity?.Conversation?.Id;
        if (activity is null || string.IsNullOrEmpty(conversationId))
        {
            await next(cancellationToken);
            return;
        }

        var writes = new TurnTranscriptWrites(logger, conversationId);
        if (activity.Type == ActivityTypes.Message)
        {
            var now = time.GetUtcNow();
            writes.Add(
                store.RecordPatientMessageAsync(
                    new TranscriptConversation(
                        conversationId,
                        activity.ChannelId ?? "unknown",
                        activity.From?.Id ?? "unknown",
                        PatientNames.FirstNameFromDisplayName(activity.From?.Name),
                        ReplyAddress.Of(activity),
                        now,
                        now),
                    new TranscriptEntry(conversationId, TranscriptRole.Patient, Describe(activity), now, activity.Id),
                    CancellationToken.None),
                "the patient's message");
        }

        turnContext.OnSendActivities(async (context, activities, nextSend) =>
        {
            var responses = await nextSend();
            var sentAt = time.GetUtcNow();
            var entries = activities
                .Where(a => a.Type == ActivityTypes.Message)
                .Select(sent => new TranscriptEntry(conversationId, IsStaff(sent) ? TranscriptRole.Staff : TranscriptRole.Bot, Describe(sent), sentAt, sent.Id))
                .ToList();
            if (entries.Count > 0)
            {
                writes.Add(store.RecordAsync(entries, CancellationToken.None), "replies");
            }

            return responses;
        });

        try
        {
            await next(cancellationToken);
        }
        finally
        {
            await writes.AllCommittedAsync();
        }
    }

    /// <summary>Whether the bot sent this on behalf of a staff member.</summary>
    public static bool IsStaff(IActivity activity) =>
        (activity as Activity)?.ChannelData is JObject data && data.SelectToken("clinicbot.sender")?.Value<string>() == "staff";

    private static string Describe(Activity activity)
    {
        var text = activity.Text ?? string.Empty;
        var actions = activity.SuggestedActions?.Actions?.Select(a => a.Title).Where(t => !string.IsNullOrEmpty(t)).ToArray();
        if (actions is { Length: > 0 })
        {
            text += " [" + string.Join(" | ", actions) + "]";
        }

        if (activity.Attachments is { Count: > 0 } attachments)
        {
            text += $" [{attachments.Count} attachment{(attachments.Count == 1 ? string.Empty : "s")}]";
        }

        return text.Trim();
    }
}

/// <summary>The transcript writes one turn queued; each is watched so a failure is logged and never unobserved.</summary>
internal sealed class TurnTranscriptWrites(ILogger logger, string conversationId)
{
    private readonly List<Task> _writes = new(2);

    public void Add(Task write, string what)
    {
        var watched = LogFailureAsync(write, what);
        lock (_writes)
        {
            _writes.Add(watched);
        }
    }

    /// <summary>Completes when every write added so far has committed or failed; never throws.</summary>
    public Task AllCommittedAsync()
    {
        lock (_writes)
        {
            return _writes.Count switch
            {
                0 => Task.CompletedTask,
                1 => _writes[0],
                _ => Task.WhenAll(_writes),
            };
        }
    }

    private async Task LogFailureAsync(Task write, string what)
    {
        try
        {
            await write.ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // Ids only: the message text is health data.
            logger.LogWarning(ex, "Could not record {What} in the transcript of conversation {ConversationId}", what, conversationId);
        }
    }
}
