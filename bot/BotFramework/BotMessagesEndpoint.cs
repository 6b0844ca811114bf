using System.Buffers;
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

        var body = await ReadBodyAsync(http.Request.Body, http.Request.ContentLength, limit, http.RequestAborted);
        if (body.Array is null)
        {
            return Problem(StatusCodes.Status413PayloadTooLarge, $"The request body is larger than {limit:N0} bytes.");
        }

        Activity? activity;
        string? error;
        try
        {
            (activity, error) = Parse(body);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(body.Array);
        }

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
    internal static (Activity? Activity, string? Error) Parse(byte[] body) => Parse(new ArraySegment<byte>(body));

    /// <inheritdoc cref="Parse(byte[])"/>
    internal static (Activity? Activity, string? Error) Parse(ArraySegment<byte> body)
    {
        if (body.Count == 0)
        {
            return (null, "The request body is empty; expected a Bot Framework Activity as JSON.");
        }

        Activity? activity;
        using var text = Utf8Text.Decode(body);
        try
        {
            using var reader = new JsonTextReader(text.Reader) { ArrayPool = Dialogs.State.PooledJsonBuffers.Instance };
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

    /// <summary>
    /// Reads the body into an array rented from the shared pool (the caller returns it): a new 16 KB chunk and a copy
    /// per request were an eighth of everything a dialog turn allocated. Returns a null array when the body is over
    /// <paramref name="limit"/>.
    /// </summary>
    private static async Task<ArraySegment<byte>> ReadBodyAsync(Stream stream, long? contentLength, int limit, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(contentLength is > 0 and var length && length <= limit ? (int)length + 1 : 4096);
        var count = 0;
        try
        {
            while (true)
            {
                if (count == buffer.Length)
                {
                    if (count > limit)
                    {
                        break;
                    }

                    var larger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, limit + 1));
                    buffer.AsSpan(0, count).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                var read = await stream.ReadAsync(buffer.AsMemory(count), cancellationToken);
                if (read == 0)
                {
                    break;
                }

                count += read;
            }
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            count = limit + 1;
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }

        if (count > limit)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            return default;
        }

        return new ArraySegment<byte>(buffer, 0, count);
    }

    /// <summary>
    /// The body as text for the JSON reader: UTF-8 decoded once into a pooled buffer (a StreamReader allocates its own
    /// two buffers per request). A body that starts with a UTF-16 or UTF-32 byte order mark is read as a StreamReader
    /// reads it, as before.
    /// </summary>
    private readonly struct Utf8Text : IDisposable
    {
        private readonly char[]? _pooled;

        private Utf8Text(TextReader reader, char[]? pooled)
        {
            Reader = reader;
            _pooled = pooled;
        }

        public TextReader Reader { get; }

        public static Utf8Text Decode(ArraySegment<byte> body)
        {
            var bytes = body.AsSpan();
            if (bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
            {
                bytes = bytes[3..];
            }
            else if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]) || bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE])
                || bytes.StartsWith((ReadOnlySpan<byte>)[0x00, 0x00, 0xFE, 0xFF]))
            {
                return new Utf8Text(new StreamReader(new MemoryStream(body.Array!, body.Offset, body.Count, writable: false), Encoding.UTF8), null);
            }

            var chars = ArrayPool<char>.Shared.Rent(Encoding.UTF8.GetMaxCharCount(bytes.Length));
            var length = Encoding.UTF8.GetChars(bytes, chars);
            return new Utf8Text(new CharsReader(chars, length), chars);
        }

        public void Dispose()
        {
            if (_pooled is not null)
            {
                ArrayPool<char>.Shared.Return(_pooled);
            }
        }
    }

    /// <summary>A reader over the first <c>length</c> characters of an array (what JsonTextReader needs: block reads).</summary>
    private sealed class CharsReader(char[] chars, int length) : TextReader
    {
        private int _position;

        public override int Peek() => _position < length ? chars[_position] : -1;

        public override int Read() => _position < length ? chars[_position++] : -1;

        public override int Read(char[] buffer, int index, int count)
        {
            var n = Math.Min(count, length - _position);
            Array.Copy(chars, _position, buffer, index, n);
            _position += n;
            return n;
        }

        public override int Read(Span<char> buffer)
        {
            var n = Math.Min(buffer.Length, length - _position);
            chars.AsSpan(_position, n).CopyTo(buffer);
            _position += n;
            return n;
        }
    }

    private static IResult Problem(int status, string detail) =>
        Results.Problem(detail: detail, statusCode: status);
}
