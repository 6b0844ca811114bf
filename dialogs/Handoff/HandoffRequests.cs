using ClinicBot.Dialogs.Patients;
using Microsoft.Bot.Builder;
using ClinicBot.Dialogs.Conversation;

namespace ClinicBot.Dialogs.Handoff;

/// <summary>Builds a handoff request from the turn: who the patient is and where to reach them.</summary>
public static class HandoffRequests
{
    public static HandoffRequest FromTurn(
        ITurnContext turnContext,
        PatientProfile profile,
        ConversationData conversation,
        string department,
        HandoffReason reason,
        HandoffPriority priority,
        string? request,
        DateTimeOffset now,
        string? sentiment = null)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(conversation);
        var activity = turnContext.Activity;
        var handoff = new HandoffRequest
        {
            Id = "H-" + Guid.NewGuid().ToString("N")[..10].ToUpperInvariant(),
            ConversationId = activity.Conversation.Id,
            PatientUserId = activity.From?.Id ?? "unknown",
            PatientName = profile.PreferredName,
            ChannelId = activity.ChannelId,
            ReplyAddress = ReplyAddress.Of(activity),
            Department = department,
            Reason = reason,
            Request = request,
            Priority = priority,
            FlaggedAbusive = reason == HandoffReason.Abuse,
            Sentiment = sentiment ?? conversation.LastMood,
            CreatedAt = now,
        };

        // What the bot learned along the way (appointment facts, what was offered) travels with the chat.
        foreach (var (key, value) in conversation.Facts)
        {
            handoff.Context[key] = value;
        }

        if (profile.VerifiedPatientId is { } verified)
        {
            handoff.Context["verifiedPatientId"] = verified;
        }
        else if (conversation.VerifiedPatientId is { } confirmed)
        {
            handoff.Context["verifiedPatientId"] = confirmed;
        }

        return handoff;
    }
}
