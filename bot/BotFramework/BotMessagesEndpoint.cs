using System.Collections.Frozen;
using System.Text;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Schema;
using Microsoft.Extensions.Options;
using Newtonsoft.Json;

namespace ClinicBot.Bot.BotFramework;

/// <summary>
/// POST /api/messages: the Bot Framework channel endpoint. Reads and checks the body itself so bad input
/// gets a clear 400/413 with a reason and never reaches the bot, then hands the activity to the adapter.
/// </summary>
public static class BotMessagesEndpoint
{
    private static readonly JsonSerializer Serializer = JsonSerializer.Create(new JsonSerializerSettings
    {
        NullValueHandling = NullValueHandling.Ignore,
        MaxDepth = 64,
        DateParseHandling = DateParseHandling.DateTimeOffset,
    });

    /// <summary>
    /// The longest activity or conversation id accepted. Channels use a few dozen to a couple of hundred characters;
    /// the cap keeps a reply's URL, which carries both ids percent-encoded, within the 8 KB request line that common
    /// HTTP servers accept.
    /// </summary>
    public const int MaxIdLength = 512;

    /// <summary>
    /// The ports the Fetch standard forbids browsers to use ("bad ports"): each belongs to a protocol other than HTTP
    /// (tcpmux, SMTP, SSH, LDAP...), so no channel connector listens there. Replying to one cannot succeed and, in
    /// unauthenticated mode, would have the bot send requests to a local mail, directory or shell service.
    /// </summary>
    private static readonly FrozenSet<int> NonHttpPorts = FrozenSet.ToFrozenSet(
    [
        0, 1, 7, 9, 11, 13, 15, 17, 19, 20, 21, 22, 23, 25, 37, 42, 43, 53, 69, 77, 79, 87, 95, 101, 102, 103, 104, 109,
        110, 111, 113, 115, 117, 119, 123, 135, 137, 139, 143, 161, 179, 389, 427, 465, 512, 513, 514, 515, 526, 530, 531,
        532, 540, 548, 554, 556, 563, 587, 601, 636, 989, 990, 993, 995, 1719, 1720, 1723, 2049, 3659, 4045, 4190, 5060,
        5061, 6000, 6566, 6665, 6666, 6667, 6668, 6669, 6679, 6697, 10080,
    ]);

    public static async Task<IResult> HandleAsync(
        HttpContext http,
        ClinicBotCloudAdapter adapter,
        IBot bot,
        IOptions<BotHostOptions> options,
        RateLimiting.ConversationRateLimiter conversationLimiter,
        ILoggerFactory loggerFactory)
    {
        var limit = options.Value.MaxRequestBodyBytes;
        if (http.Request.ContentLength > limit)
        {
            return Problem(StatusCodes.Status413PayloadTooLarge, $"The request body is larger than {limit:N0} bytes.");
        }

        var sizeFeature = http.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (sizeFeature is { IsReadOnly: false })
        {
            sizeFeature.MaxRequestBodySize = limit;
        }

        var (body, tooLarge) = await ReadBodyAsync(http.Request.Body, limit, http.RequestAborted);
        if (tooLarge)
        {
            return Problem(StatusCodes.Status413PayloadTooLarge, $"The request body is larger than {limit:N0} bytes.");
        }

        var (activity, error) = Parse(body);
        if (activity is null)
        {
            return Problem(StatusCodes.Status400BadRequest, error!);
        }

        if (!conversationLimiter.TryAcquire(activity.ChannelId + "|" + activity.Conversation.Id, out var retryAfter))
        {
            return RateLimiting.RateLimitingExtensions.TooManyRequests(http, retryAfter, "Too many activities in this conversation");
        }

        try
        {
            var invokeResponse = await adapter.ProcessCheckedActivityAsync(
                http.Request.Headers.Authorization.ToString(),
                activity,
                bot.OnTurnAsync,
                http.RequestAborted);

            if (invokeResponse is null)
            {
                return Results.Ok();
            }

            return invokeResponse.Body is null
                ? Results.StatusCode(invokeResponse.Status)
                : Results.Content(JsonConvert.SerializeObject(invokeResponse.Body), "application/json", Encoding.UTF8, invokeResponse.Status);
        }
        catch (UnauthorizedAccessException)
        {
            loggerFactory.CreateLogger(typeof(BotMessagesEndpoint)).LogWarning(
                "Rejected an unauthenticated request for conversation {ConversationId} on channel {ChannelId}",
                activity.Conversation?.Id,
                activity.ChannelId);
            return Results.Unauthorized();
        }
    }

    /// <summary>Parses and checks an activity; returns a short reason when it cannot be used.</summary>
    internal static (Activity? Activity, string? Error) Parse(byte[] body)
    {
        if (body.Length == 0)
        {
            return (null, "The request body is empty; expected a Bot Framework Activity as JSON.");
        }

        Activity? activity;
        try
        {
            using var reader = new JsonTextReader(new StreamReader(new MemoryStream(body), Encoding.UTF8));
            if (!reader.Read() || reader.TokenType != JsonToken.StartObject)
            {
                return (null, "The request body must be a JSON object (a Bot Framework Activity).");
            }

            activity = Serializer.Deserialize<Activity>(reader);
            while (reader.Read())
            {
                // Reading to the end rejects trailing garbage after the object.
            }
        }
        catch (JsonException ex)
        {
            return (null, "The request body is not a valid Activity: " + ShortReason(ex));
        }

        if (activity is null)
        {
            return (null, "The request body is not a valid Activity.");
        }

        if (string.IsNullOrWhiteSpace(activity.Type))
        {
            return (null, "The activity has no 'type'.");
        }

        // An invoke waits for the bot's answer to an operation (a card action, a sign-in step...); ClinicBot implements
        // none, and the SDK's 501 for it is not an answer a channel can act on.
        if (activity.Type == ActivityTypes.Invoke)
        {
            return (null, "ClinicBot answers no 'invoke' activities.");
        }

        if (string.IsNullOrWhiteSpace(activity.ChannelId))
        {
            return (null, "The activity has no 'channelId'.");
        }

        if (string.IsNullOrWhiteSpace(activity.Conversation?.Id))
        {
            return (null, "The activity has no 'conversation.id'.");
        }

        // Every reply is addressed with both ids: the connector puts the conversation id in an HTTP header and
        // the activity id (replyToId) in the URL path. Ids it cannot carry would let the turn run and then fail on
        // its first reply, the turn-error apology included.
        if (ConversationIdProblem(activity.Conversation.Id) is { } conversationProblem)
        {
            return (null, conversationProblem);
        }

        if (ActivityIdProblem(activity.Id) is { } idProblem)
        {
            return (null, idProblem);
        }

        if (string.IsNullOrWhiteSpace(activity.ServiceUrl) || !Uri.TryCreate(activity.ServiceUrl, UriKind.Absolute, out var serviceUrl)
            || (serviceUrl.Scheme != Uri.UriSchemeHttps && serviceUrl.Scheme != Uri.UriSchemeHttp))
        {
            return (null, "The activity has no valid absolute 'serviceUrl'.");
        }

        if (NonHttpPorts.Contains(serviceUrl.Port))
        {
            return (null, "The activity's 'serviceUrl' names a port reserved for a service that does not speak HTTP.");
        }

        if (activity.Type == ActivityTypes.Message && string.IsNullOrWhiteSpace(activity.From?.Id))
        {
            return (null, "The message activity has no 'from.id'.");
        }

        // The SDK's ActivityHandler reads every member's id before any ClinicBot code runs.
        if (activity.MembersAdded?.Any(member => member is null) == true || activity.MembersRemoved?.Any(member => member is null) == true)
        {
            return (null, "The activity's 'membersAdded' and 'membersRemoved' may contain only accounts, not null.");
        }

        // Attachments by URL: https only (the count and types are the bot's to answer politely: AttachmentGuard).
        if (Dialogs.Middleware.AttachmentPolicy.UrlProblem(activity.Attachments) is { } attachmentProblem)
        {
            return (null, attachmentProblem);
        }

        return (activity, null);
    }

    private static string? ConversationIdProblem(string conversationId)
    {
        if (conversationId.Length > MaxIdLength)
        {
            return $"The activity's 'conversation.id' is longer than {MaxIdLength} characters.";
        }

        // HTTP header values are ASCII; a conversation id outside it cannot be sent back to the connector.
        foreach (var c in conversationId)
        {
            if (c is < ' ' or > '~')
            {
                return "The activity's 'conversation.id' may contain only printable ASCII characters.";
            }
        }

        return null;
    }

    private static string? ActivityIdProblem(string? id)
    {
        if (string.IsNullOrEmpty(id))
        {
            // Some channels send no id; replies then go to the conversation instead of to the activity.
            return null;
        }

        if (id.Length > MaxIdLength)
        {
            return $"The activity's 'id' is longer than {MaxIdLength} characters.";
        }

        foreach (var c in id)
        {
            if (char.IsControl(c))
            {
                return "The activity's 'id' contains control characters.";
            }
        }

        return null;
    }

    private static string ShortReason(JsonException ex)
    {
        // Newtonsoft's messages quote the offending value; keep only the part before it so patient text
        // never echoes back or reaches logs.
        var message = ex.Message;
        var cut = message.IndexOf(" Path '", StringComparison.Ordinal);
        if (ex is JsonReaderException reader)
        {
            return $"malformed JSON at line {reader.LineNumber}, position {reader.LinePosition}.";
        }

        return cut > 0 && cut < 200 ? message[..cut] : "a field has the wrong type.";
    }

    private static async Task<(byte[] Body, bool TooLarge)> ReadBodyAsync(Stream stream, int limit, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (buffer.Length + read > limit)
                {
                    return ([], true);
                }

                buffer.Write(chunk, 0, read);
            }
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return ([], true);
        }

        return (buffer.ToArray(), false);
    }

    private static IResult Problem(int status, string detail) =>
        Results.Problem(detail: detail, statusCode: status);
}
