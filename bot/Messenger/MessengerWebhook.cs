using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace ClinicBot.Bot.Messenger;

/// <summary>
/// /api/messenger: the Messenger Platform webhook. GET answers Meta's verification handshake. POST checks the
/// X-Hub-Signature-256 HMAC of the raw body, records each event in the durable inbox and answers 200 at once;
/// <see cref="MessengerInboxProcessor"/> runs the bot in the background (Meta retries slow webhooks).
/// </summary>
public static class MessengerWebhook
{
    public const string SignatureHeader = "X-Hub-Signature-256";

    public static IResult Verify(HttpContext http, IOptions<MessengerOptions> options, ILoggerFactory loggerFactory)
    {
        var settings = options.Value;
        if (!settings.Enabled)
        {
            return Results.NotFound();
        }

        var query = http.Request.Query;
        var mode = query["hub.mode"].ToString();
        var token = query["hub.verify_token"].ToString();
        var challenge = query["hub.challenge"].ToString();
        if (mode == "subscribe" && FixedTimeEquals(token, settings.VerifyToken) && challenge.Length > 0)
        {
            loggerFactory.CreateLogger(typeof(MessengerWebhook)).LogInformation("Messenger webhook verified by Meta");
            return Results.Text(challenge, "text/plain", Encoding.UTF8);
        }

        loggerFactory.CreateLogger(typeof(MessengerWebhook)).LogWarning("Rejected a Messenger webhook verification with a wrong mode or verify token");
        return Results.StatusCode(StatusCodes.Status403Forbidden);
    }

    public static async Task<IResult> ReceiveAsync(
        HttpContext http,
        IOptions<MessengerOptions> options,
        MessengerInbox inbox,
        MessengerInboxSignal signal,
        ILoggerFactory loggerFactory)
    {
        var settings = options.Value;
        if (!settings.Enabled)
        {
            return Results.NotFound();
        }

        var logger = loggerFactory.CreateLogger(typeof(MessengerWebhook));
        var limit = settings.MaxRequestBodyBytes;
        if (http.Request.ContentLength > limit)
        {
            return Results.Problem(detail: $"The request body is larger than {limit:N0} bytes.", statusCode: StatusCodes.Status413PayloadTooLarge);
        }

        var sizeFeature = http.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (sizeFeature is { IsReadOnly: false })
        {
            sizeFeature.MaxRequestBodySize = limit;
        }

        var body = await ReadBodyAsync(http.Request.Body, limit, http.RequestAborted);
        if (body is null)
        {
            return Results.Problem(detail: $"The request body is larger than {limit:N0} bytes.", statusCode: StatusCodes.Status413PayloadTooLarge);
        }

        if (!HasValidSignature(http.Request.Headers[SignatureHeader].ToString(), body, settings.AppSecret))
        {
            logger.LogWarning("Rejected a Messenger webhook request with a missing or wrong {Header}", SignatureHeader);
            return Results.StatusCode(StatusCodes.Status403Forbidden);
        }

        IReadOnlyList<MessengerInboxEvent> events;
        try
        {
            events = ExtractEvents(body);
        }
        catch (JsonException ex)
        {
            return Results.Problem(detail: "The request body is not valid webhook JSON" + (ex.LineNumber is { } line ? $" (line {line + 1})." : "."), statusCode: StatusCodes.Status400BadRequest);
        }

        var added = await inbox.AddAsync(events, http.RequestAborted);
        if (added > 0)
        {
            signal.Notify();
        }

        logger.LogDebug("Messenger webhook: {Events} event(s), {New} new", events.Count, added);
        return Results.Text("EVENT_RECEIVED", "text/plain", Encoding.UTF8);
    }

    /// <summary>Checks <c>sha256=HEX</c>: the HMAC-SHA256 of the raw body keyed with the app secret, compared in constant time.</summary>
    public static bool HasValidSignature(string? header, ReadOnlySpan<byte> body, string? appSecret)
    {
        const string prefix = "sha256=";
        if (string.IsNullOrEmpty(appSecret) || header is null || !header.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) || header.Length != prefix.Length + 64)
        {
            return false;
        }

        byte[] given;
        try
        {
            given = Convert.FromHexString(header.AsSpan(prefix.Length));
        }
        catch (FormatException)
        {
            return false;
        }

        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(appSecret), body);
        return CryptographicOperations.FixedTimeEquals(expected, given);
    }

    /// <summary>The events of a webhook body worth recording: messages, postbacks and page feed changes.</summary>
    internal static IReadOnlyList<MessengerInboxEvent> ExtractEvents(byte[] body)
    {
        using var document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 64 });
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException("The webhook body must be a JSON object.");
        }

        var events = new List<MessengerInboxEvent>();
        if (!root.TryGetProperty("object", out var kind) || kind.ValueKind != JsonValueKind.String || kind.GetString() != "page"
            || !root.TryGetProperty("entry", out var entries) || entries.ValueKind != JsonValueKind.Array)
        {
            return events; // Not a page subscription (Instagram, a test ping...): acknowledged, ignored.
        }

        foreach (var entry in entries.EnumerateArray())
        {
            if (entry.ValueKind != JsonValueKind.Object || !entry.TryGetProperty("id", out var pageIdElement))
            {
                continue;
            }

            var pageId = pageIdElement.ValueKind == JsonValueKind.String ? pageIdElement.GetString()! : pageIdElement.GetRawText();
            if (entry.TryGetProperty("messaging", out var messaging) && messaging.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in messaging.EnumerateArray())
                {
                    if (KeyOfMessaging(item) is { } key)
                    {
                        events.Add(new MessengerInboxEvent(key, MessengerEventKinds.Messaging, pageId, item.GetRawText()));
                    }
                }
            }

            if (entry.TryGetProperty("changes", out var changes) && changes.ValueKind == JsonValueKind.Array)
            {
                foreach (var change in changes.EnumerateArray())
                {
                    if (change.ValueKind == JsonValueKind.Object
                        && change.TryGetProperty("field", out var field) && field.ValueKind == JsonValueKind.String && field.GetString() == "feed"
                        && change.TryGetProperty("value", out var value) && value.ValueKind == JsonValueKind.Object
                        && Text(value, "item") == "comment" && Text(value, "verb") == "add"
                        && Text(value, "comment_id") is { Length: > 0 } commentId)
                    {
                        events.Add(new MessengerInboxEvent("comment:" + commentId, MessengerEventKinds.Feed, pageId, value.GetRawText()));
                    }
                }
            }
        }

        return events;
    }

    private static string? KeyOfMessaging(JsonElement item)
    {
        if (item.ValueKind != JsonValueKind.Object || !item.TryGetProperty("sender", out var sender) || Text(sender, "id") is not { Length: > 0 } psid)
        {
            return null;
        }

        if (item.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.Object)
        {
            if (message.TryGetProperty("is_echo", out var echo) && echo.ValueKind == JsonValueKind.True)
            {
                return null; // the page's own outgoing message, echoed back
            }

            return Text(message, "mid") is { Length: > 0 } mid ? "mid:" + mid : null;
        }

        if (item.TryGetProperty("postback", out var postback) && postback.ValueKind == JsonValueKind.Object
            && item.TryGetProperty("timestamp", out var timestamp) && timestamp.ValueKind == JsonValueKind.Number)
        {
            return "postback:" + psid + ":" + timestamp.GetRawText();
        }

        return null; // deliveries, reads, reactions...: nothing for the bot
    }

    private static string? Text(JsonElement element, string property) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var value)
            ? value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Number => value.GetRawText(),
                _ => null,
            }
            : null;

    private static bool FixedTimeEquals(string given, string? expected) =>
        !string.IsNullOrEmpty(expected)
        && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(given)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));

    private static async Task<byte[]?> ReadBodyAsync(Stream stream, int limit, CancellationToken cancellationToken)
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
                    return null;
                }

                buffer.Write(chunk, 0, read);
            }
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return null;
        }

        return buffer.ToArray();
    }
}
