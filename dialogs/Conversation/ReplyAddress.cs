using System.Globalization;
using ClinicBot.Dialogs.State;
using Microsoft.Bot.Schema;
using Newtonsoft.Json;

namespace ClinicBot.Dialogs.Conversation;

/// <summary>
/// How ClinicBot reaches a patient's conversation again from outside a turn (a staff reply, a follow-up answer, a
/// handoff): the conversation reference of the patient's activity as JSON, the form <c>JsonConvert</c> writes with
/// default settings, stored with handoffs, follow-ups, cases and transcripts.
/// </summary>
public static class ReplyAddress
{
    // What JsonConvert.SerializeObject builds on every call, built once (no settings: the stored form stays the same).
    private static readonly JsonSerializer Serializer = JsonSerializer.CreateDefault();

    /// <summary>The reply address of the conversation <paramref name="activity"/> came from.</summary>
    public static string Of(Activity activity)
    {
        ArgumentNullException.ThrowIfNull(activity);

        // Written for every patient message (the transcript keeps the latest address), so through pooled buffers.
        using var text = new StringWriter(new System.Text.StringBuilder(512), CultureInfo.InvariantCulture);
        using (var writer = new JsonTextWriter(text) { ArrayPool = PooledJsonBuffers.Instance })
        {
            Serializer.Serialize(writer, activity.GetConversationReference());
        }

        return text.ToString();
    }

    /// <summary>The conversation reference stored in <paramref name="replyAddress"/>; null when it is not one.</summary>
    public static ConversationReference? Read(string? replyAddress)
    {
        if (string.IsNullOrWhiteSpace(replyAddress))
        {
            return null;
        }

        try
        {
            var reference = JsonConvert.DeserializeObject<ConversationReference>(replyAddress);
            return reference?.Conversation?.Id is null ? null : reference;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
