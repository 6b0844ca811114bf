using Microsoft.Bot.Builder;
using Microsoft.Bot.Connector;
using Microsoft.Bot.Schema;

namespace ClinicBot.Dialogs.Middleware;

/// <summary>
/// Facebook Messenger accepts at most 2,000 characters per message. On Messenger conversations (Azure Bot Service's
/// <c>facebook</c> channel and ClinicBot's direct <c>messenger</c> channel) this splits every longer outgoing message
/// into several, on paragraph, then sentence, then word boundaries. Suggested actions (quick replies) and attachments
/// stay on the last part, so the choices appear under the end of the text. Other channels are left alone.
/// </summary>
public sealed class MessengerLengthLimit : IMiddleware
{
    /// <summary>Messenger's limit on a text message.</summary>
    public const int MaxMessageLength = 2000;

    /// <summary>The channel id of ClinicBot's own Messenger Platform webhook (no Azure Bot Service involved).</summary>
    public const string MessengerChannelId = "messenger";

    /// <summary>Whether a channel delivers to Facebook Messenger.</summary>
    public static bool IsMessengerChannel(string? channelId) =>
        string.Equals(channelId, Channels.Facebook, StringComparison.OrdinalIgnoreCase)
        || string.Equals(channelId, MessengerChannelId, StringComparison.OrdinalIgnoreCase);

    public async Task OnTurnAsync(ITurnContext turnContext, NextDelegate next, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        ArgumentNullException.ThrowIfNull(next);
        if (IsMessengerChannel(turnContext.Activity?.ChannelId))
        {
            turnContext.OnSendActivities(async (context, activities, nextSend) =>
            {
                var split = SplitAll(activities);
                if (split.Count != activities.Count)
                {
                    activities.Clear();
                    activities.AddRange(split);
                }

                return await nextSend();
            });
        }

        await next(cancellationToken);
    }

    /// <summary>The activities with every over-long message replaced by its parts.</summary>
    public static List<Activity> SplitAll(IReadOnlyList<Activity> activities)
    {
        ArgumentNullException.ThrowIfNull(activities);
        var result = new List<Activity>(activities.Count);
        foreach (var activity in activities)
        {
            if (activity.Type != ActivityTypes.Message || activity.Text is null || activity.Text.Length <= MaxMessageLength)
            {
                result.Add(activity);
                continue;
            }

            var parts = MessageSplitter.Split(activity.Text, MaxMessageLength);
            for (var i = 0; i < parts.Count; i++)
            {
                var last = i == parts.Count - 1;
                var part = CopyOf(activity);
                part.Text = parts[i];
                part.Speak = last ? activity.Speak : null;
                part.SuggestedActions = last ? activity.SuggestedActions : null;
                part.Attachments = last ? activity.Attachments : [];
                part.InputHint = last ? activity.InputHint : InputHints.IgnoringInput;
                result.Add(part);
            }
        }

        return result;
    }

    private static Activity CopyOf(Activity activity) => new()
    {
        Type = activity.Type,
        ChannelId = activity.ChannelId,
        ServiceUrl = activity.ServiceUrl,
        Conversation = activity.Conversation,
        From = activity.From,
        Recipient = activity.Recipient,
        ReplyToId = activity.ReplyToId,
        Locale = activity.Locale,
        TextFormat = activity.TextFormat,
        ChannelData = activity.ChannelData,
        Entities = activity.Entities,
        Timestamp = activity.Timestamp,
        LocalTimestamp = activity.LocalTimestamp,
    };
}
