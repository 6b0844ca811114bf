using Microsoft.Bot.Schema;

namespace ClinicBot.Dialogs.Middleware;

/// <summary>
/// Which attachments a patient may send: photos (JPEG, PNG, HEIC) and PDFs, at most <see cref="MaxAttachments"/>
/// per message, by https URL or inline. Messenger's generic types count as their kind: <c>image</c> is a photo,
/// <c>file</c> is accepted when its URL names a PDF. The bot never downloads an attachment.
/// </summary>
public static class AttachmentPolicy
{
    public const int MaxAttachments = 5;

    public static readonly IReadOnlySet<string> AllowedContentTypes = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "image/jpeg",
        "image/jpg",
        "image/png",
        "image/heic",
        "image/heif",
        "application/pdf",
    };

    /// <summary>
    /// Why the attachments cannot be accepted, or null when they can. Checks every rule: count, URL scheme, type.
    /// </summary>
    public static string? Problem(IList<Attachment>? attachments) =>
        attachments is not { Count: > 0 } ? null
        : attachments.Count > MaxAttachments ? $"At most {MaxAttachments} attachments are accepted per message."
        : UrlProblem(attachments) ?? TypeProblem(attachments);

    /// <summary>Why an attachment's URL is refused (only absolute https URLs), or null.</summary>
    public static string? UrlProblem(IList<Attachment>? attachments)
    {
        foreach (var attachment in attachments ?? [])
        {
            if (attachment?.ContentUrl is { } url
                && (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps))
            {
                return "Attachment URLs must be absolute https URLs.";
            }

            if (attachment?.ThumbnailUrl is { } thumbnail
                && (!Uri.TryCreate(thumbnail, UriKind.Absolute, out var thumbnailUri) || thumbnailUri.Scheme != Uri.UriSchemeHttps))
            {
                return "Attachment thumbnail URLs must be absolute https URLs.";
            }
        }

        return null;
    }

    private static string? TypeProblem(IList<Attachment> attachments)
    {
        foreach (var attachment in attachments)
        {
            if (attachment is null || !IsAllowedType(attachment))
            {
                return "Only photos (image/jpeg, image/png, image/heic) and PDFs (application/pdf) are accepted.";
            }
        }

        return null;
    }

    private static bool IsAllowedType(Attachment attachment)
    {
        var type = attachment.ContentType?.Split(';')[0].Trim() ?? string.Empty;
        if (AllowedContentTypes.Contains(type))
        {
            return true;
        }

        // Messenger's attachment kinds.
        return type switch
        {
            "image" => true,
            "file" => Uri.TryCreate(attachment.ContentUrl, UriKind.Absolute, out var uri) && uri.AbsolutePath.EndsWith(".pdf", StringComparison.OrdinalIgnoreCase),
            _ => false,
        };
    }
}

/// <summary>
/// A message whose attachments break <see cref="AttachmentPolicy"/> gets a polite request for photos or PDFs and is
/// not processed further (on every channel; the HTTP edges refuse what no real channel sends with a 400 first).
/// </summary>
public sealed class AttachmentGuard : Microsoft.Bot.Builder.IMiddleware
{
    public async Task OnTurnAsync(Microsoft.Bot.Builder.ITurnContext turnContext, Microsoft.Bot.Builder.NextDelegate next, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        ArgumentNullException.ThrowIfNull(next);
        if (turnContext.Activity.Type == ActivityTypes.Message && AttachmentPolicy.Problem(turnContext.Activity.Attachments) is not null)
        {
            await turnContext.SendActivityAsync(Phrasing.SystemPhrases.AttachmentsNotAccepted(AttachmentPolicy.MaxAttachments), cancellationToken: cancellationToken);
            return;
        }

        await next(cancellationToken);
    }
}
