using Microsoft.Bot.Schema;
using Newtonsoft.Json.Linq;

namespace ClinicBot.Dialogs.Handoff;

/// <summary>
/// Marks who wrote an outgoing message. Channels with messaging rules that depend on the author read it: on
/// Messenger a staff member's reply may go out with the HUMAN_AGENT tag up to 7 days after the patient's last
/// message, while the bot's own messages never may. The mark is <c>channelData: {"clinicbot": {"sender": "staff"}}</c>;
/// an unmarked message is the bot's.
/// </summary>
public static class OutgoingSender
{
    /// <summary>The channelData property that holds ClinicBot's own markers.</summary>
    public const string ChannelDataKey = "clinicbot";

    /// <summary>The property under <see cref="ChannelDataKey"/> naming the author.</summary>
    public const string SenderProperty = "sender";

    /// <summary>The value of <see cref="SenderProperty"/> for a message a staff member wrote.</summary>
    public const string Staff = "staff";

    /// <summary>Marks the activity as written by a staff member (keeps any other channelData) and returns it.</summary>
    public static T MarkAsStaff<T>(T activity)
        where T : IActivity
    {
        ArgumentNullException.ThrowIfNull(activity);
        JObject channelData = ToObject((object?)activity.ChannelData) ?? [];
        if (channelData[ChannelDataKey] is not JObject marker)
        {
            marker = [];
            channelData[ChannelDataKey] = marker;
        }

        marker[SenderProperty] = Staff;
        activity.ChannelData = channelData;
        return activity;
    }

    /// <summary>Whether the activity carries the staff mark.</summary>
    public static bool IsStaff(IActivity? activity)
    {
        var channelData = ToObject((object?)activity?.ChannelData);
        return channelData?[ChannelDataKey] is JObject marker
            && string.Equals(marker.Value<string>(SenderProperty), Staff, StringComparison.OrdinalIgnoreCase);
    }

    private static JObject? ToObject(object? channelData)
    {
        try
        {
            return channelData switch
            {
                null => null,
                JObject json => json,
                string text => JToken.Parse(text) as JObject,
                _ => JToken.FromObject(channelData) as JObject,
            };
        }
        catch (Newtonsoft.Json.JsonException)
        {
            return null;
        }
    }
}
