using ClinicBot.Dialogs.Patients;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Schema;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace ClinicBot.Bot.Transcripts;

/// <summary>
/// Records every message of a patient conversation, in and out, with the sender's role and time (an
/// <c>ITranscriptLogger</c>-style middleware backed by <see cref="ConversationTranscriptStore"/>). The patient's message
/// is written before the bot handles it; replies are written once the channel accepted them. Staff messages are
/// told apart by the <c>{"clinicbot":{"sender":"staff"}}</c> channel data the bot puts on them.
/// </summary>
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

        if (activity.Type == ActivityTypes.Message)
        {
            var now = time.GetUtcNow();
            await store.RecordPatientMessageAsync(
                new TranscriptConversation(
                    conversationId,
                    activity.ChannelId ?? "unknown",
                    activity.From?.Id ?? "unknown",
                    PatientNames.FirstNameFromDisplayName(activity.From?.Name),
                    JsonConvert.SerializeObject(activity.GetConversationReference()),
                    now,
                    now),
                new TranscriptEntry(conversationId, TranscriptRole.Patient, Describe(activity), now, activity.Id),
                cancellationToken);
        }

        turnContext.OnSendActivities(async (context, activities, nextSend) =>
        {
            var responses = await nextSend();
            var sentAt = time.GetUtcNow();
            var entries = activities
                .Where(a => a.Type == ActivityTypes.Message)
                .Select(sent => new TranscriptEntry(conversationId, IsStaff(sent) ? TranscriptRole.Staff : TranscriptRole.Bot, Describe(sent), sentAt, sent.Id))
                .ToList();
            try
            {
                await store.RecordAsync(entries, CancellationToken.None);
            }
            catch (Exception ex)
            {
                // The patient already has the messages; a transcript gap must not fail the turn.
                logger.LogWarning(ex, "Could not record replies in the transcript of conversation {ConversationId}", conversationId);
            }

            return responses;
        });

        await next(cancellationToken);
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
