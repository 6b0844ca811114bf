using System.Text.Json;
using System.Text.Json.Serialization;

namespace ClinicBot.Bot.Messenger;

/// <summary>The Messenger Platform's JSON (snake_case), for webhook events in and Send API requests out.</summary>
internal static class MessengerJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        MaxDepth = 64,
    };
}

// ---- Webhook events (https://developers.facebook.com/docs/messenger-platform/webhooks) ----

internal sealed record MessengerParty(string? Id, string? Name = null);

internal sealed record MessagingEvent(MessengerParty? Sender, MessengerParty? Recipient, long Timestamp, IncomingMessage? Message, IncomingPostback? Postback);

internal sealed record IncomingMessage(string? Mid, string? Text, bool IsEcho, IncomingQuickReply? QuickReply, List<IncomingAttachment>? Attachments);

internal sealed record IncomingQuickReply(string? Payload);

internal sealed record IncomingAttachment(string? Type, IncomingAttachmentPayload? Payload);

internal sealed record IncomingAttachmentPayload(string? Url);

internal sealed record IncomingPostback(string? Title, string? Payload, string? Mid);

/// <summary>The value of a page <c>feed</c> change (a comment, a post, a reaction...).</summary>
internal sealed record FeedChange(
    MessengerParty? From,
    string? Item,
    string? Verb,
    string? CommentId,
    string? PostId,
    string? ParentId,
    string? Message,
    FeedPost? Post);

internal sealed record FeedPost(string? PermalinkUrl);

// ---- Send API (https://developers.facebook.com/docs/messenger-platform/reference/send-api) ----

internal sealed record SendRecipient(string? Id = null, string? CommentId = null);

internal sealed record SendRequest(
    SendRecipient Recipient,
    string? MessagingType = null,
    OutgoingMessage? Message = null,
    string? SenderAction = null,
    string? Tag = null);

internal sealed record OutgoingMessage(string? Text = null, List<OutgoingQuickReply>? QuickReplies = null, OutgoingAttachment? Attachment = null);

internal sealed record OutgoingQuickReply(string ContentType, string Title, string Payload);

internal sealed record OutgoingAttachment(string Type, OutgoingAttachmentPayload Payload);

internal sealed record OutgoingAttachmentPayload(string Url, bool IsReusable = true);

internal sealed record SendResponse(string? RecipientId, string? MessageId);

internal sealed record GraphErrorResponse(GraphError? Error);

internal sealed record GraphError(string? Message, string? Type, int? Code, int? ErrorSubcode, string? FbtraceId);

/// <summary>A patient's public profile fields from the User Profile API.</summary>
public sealed record MessengerProfile(string? FirstName, string? LastName)
{
    public string? DisplayName => string.Join(' ', new[] { FirstName, LastName }.Where(n => !string.IsNullOrWhiteSpace(n))) is { Length: > 0 } name ? name : null;
}
