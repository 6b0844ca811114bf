using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Bot.Schema;
using Microsoft.Extensions.Options;
using Newtonsoft.Json;

namespace ClinicBot.Bot.DirectLine;

/// <summary>
/// Direct Line API 3.0 under <c>/v3/directline</c>, enough for Bot Framework Web Chat: tokens, conversations,
/// posting and reading activities (watermark paging) and the WebSocket stream. Status codes follow the
/// service, because Web Chat acts on them: 403 = token expired or not for this conversation, 404 =
/// conversation ended/unknown, 429 = slow down (Retry-After honoured).
/// </summary>
public static class DirectLineEndpoints
{
    public const string BasePath = "/v3/directline";

    private static readonly JsonSerializer Serializer = JsonSerializer.Create(new JsonSerializerSettings
    {
        NullValueHandling = NullValueHandling.Ignore,
        MaxDepth = 32,
        DateParseHandling = DateParseHandling.DateTimeOffset,
    });

    public static IEndpointRouteBuilder MapDirectLineApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup(BasePath).DisableAntiforgery();
        api.MapPost("/tokens/generate", GenerateTokenAsync).RequireRateLimiting(RateLimiting.RateLimitingExtensions.TokenPolicy);
        api.MapPost("/tokens/refresh", RefreshToken);
        api.MapPost("/conversations", StartConversationAsync).RequireRateLimiting(RateLimiting.RateLimitingExtensions.TokenPolicy);
        api.MapGet("/conversations/{conversationId}", ReconnectAsync);
        api.MapPost("/conversations/{conversationId}/activities", PostActivityAsync);
        api.MapGet("/conversations/{conversationId}/activities", GetActivitiesAsync);
        api.Map("/conversations/{conversationId}/stream", StreamAsync);
        return endpoints;
    }

    /// <summary>A token for a new conversation of an anonymous visitor (the built-in service has no secret).</summary>
    internal static async Task<IResult> GenerateTokenAsync(HttpContext http, DirectLineTokenService tokens, IOptions<DirectLineOptions> options)
    {
        string? visitorId = null;
        if (http.Request.ContentLength is > 0)
        {
            var (body, error) = await ReadBodyAsync(http, options.Value.MaxRequestBodyBytes);
            if (error is not null)
            {
                return error;
            }

            try
            {
                visitorId = Newtonsoft.Json.Linq.JObject.Parse(Encoding.UTF8.GetString(body)).SelectToken("user.id")?.ToString();
            }
            catch (JsonException)
            {
                return Error(StatusCodes.Status400BadRequest, "BadArgument", "The request body is not valid JSON.");
            }
        }

        var grant = tokens.NewConversation(DirectLineUsers.Visitor(visitorId));
        return Results.Json(new TokenResponse(grant.ConversationId, tokens.Issue(grant), tokens.ExpiresInSeconds(grant)));
    }

    internal static IResult RefreshToken(HttpContext http, DirectLineTokenService tokens)
    {
        if (Authorize(http, tokens, conversationId: null, out var grant) is { } denied)
        {
            return denied;
        }

        var renewed = tokens.Renew(grant);
        return Results.Json(new TokenResponse(renewed.ConversationId, tokens.Issue(renewed), tokens.ExpiresInSeconds(renewed)));
    }

    internal static async Task<IResult> StartConversationAsync(HttpContext http, DirectLineTokenService tokens, DirectLineConversations conversations)
    {
        if (Authorize(http, tokens, conversationId: null, out var grant) is { } denied)
        {
            return denied;
        }

        var created = await conversations.StartAsync(grant, http.RequestAborted);
        var token = BearerToken(http)!;
        var response = new ConversationResponse(grant.ConversationId, token, tokens.ExpiresInSeconds(grant), StreamUrl(http, grant.ConversationId, token, watermark: null));

        // As the service does: 201 for a new conversation, 200 when the token's conversation already exists.
        return created ? Results.Json(response, statusCode: StatusCodes.Status201Created) : Results.Json(response);
    }

    internal static async Task<IResult> ReconnectAsync(HttpContext http, string conversationId, string? watermark, DirectLineTokenService tokens, DirectLineActivityLog log)
    {
        if (Authorize(http, tokens, conversationId, out var grant) is { } denied)
        {
            return denied;
        }

        if (!await log.ExistsAsync(conversationId, http.RequestAborted))
        {
            return NotFound();
        }

        var token = BearerToken(http)!;
        return Results.Json(new ConversationResponse(conversationId, token, tokens.ExpiresInSeconds(grant), StreamUrl(http, conversationId, token, watermark)));
    }

    internal static async Task<IResult> PostActivityAsync(
        HttpContext http,
        string conversationId,
        DirectLineTokenService tokens,
        DirectLineActivityLog log,
        DirectLineRateLimiter rateLimiter,
        DirectLineConversations conversations,
        IOptions<DirectLineOptions> options)
    {
        if (Authorize(http, tokens, conversationId, out var grant) is { } denied)
        {
            return denied;
        }

        var (body, tooLarge) = await ReadBodyAsync(http, options.Value.MaxRequestBodyBytes);
        if (tooLarge is not null)
        {
            return tooLarge;
        }

        var (activity, reason) = Parse(body);
        if (activity is null)
        {
            return Error(StatusCodes.Status400BadRequest, "BadArgument", reason!);
        }

        if (!await log.ExistsAsync(conversationId, http.RequestAborted))
        {
            return NotFound();
        }

        if (!rateLimiter.TryAcquire(conversationId, out var retryAfter))
        {
            var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
            http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            return Error(StatusCodes.Status429TooManyRequests, "TooManyRequests", $"Too many activities in this conversation; retry after {seconds} s.");
        }

        var id = await conversations.PostAsync(grant, activity, http.RequestAborted);
        return Results.Json(new ResourceIdResponse(id));
    }

    internal static async Task<IResult> GetActivitiesAsync(HttpContext http, string conversationId, string? watermark, DirectLineTokenService tokens, DirectLineActivityLog log, IOptions<DirectLineOptions> options)
    {
        if (Authorize(http, tokens, conversationId, out _) is { } denied)
        {
            return denied;
        }

        if (!TryParseWatermark(watermark, out var after))
        {
            return Error(StatusCodes.Status400BadRequest, "BadArgument", "The watermark is not one this service issued.");
        }

        if (!await log.ExistsAsync(conversationId, http.RequestAborted))
        {
            return NotFound();
        }

        var page = await log.ReadAfterAsync(conversationId, after, options.Value.MaxActivitiesPerGet, http.RequestAborted);
        var next = page.Count > 0 ? page[^1].Sequence : after;
        return Results.Content(DirectLineActivityLog.ActivitySet(page.Select(a => a.Json), next), "application/json", Encoding.UTF8);
    }

    /// <summary>The WebSocket stream: replays the log after the watermark, then pushes each new activity as an ActivitySet.</summary>
    internal static async Task StreamAsync(HttpContext http, string conversationId, string? t, string? watermark, DirectLineTokenService tokens, DirectLineActivityLog log, DirectLineStreams streams, IOptions<DirectLineOptions> options, IHostApplicationLifetime lifetime)
    {
        long sent = 0;
        var check = tokens.Check(t, conversationId, out _);
        IResult? failure = check switch
        {
            TokenCheck.Valid => null,
            TokenCheck.Missing => Error(StatusCodes.Status401Unauthorized, "Unauthorized", "The stream URL has no token."),
            _ => Error(StatusCodes.Status403Forbidden, "TokenExpired", "The token is expired or not valid for this conversation."),
        };
        if (failure is null && !http.WebSockets.IsWebSocketRequest)
        {
            failure = Error(StatusCodes.Status400BadRequest, "BadArgument", "The stream URL only accepts WebSocket connections.");
        }

        if (failure is null && !TryParseWatermark(watermark, out sent))
        {
            failure = Error(StatusCodes.Status400BadRequest, "BadArgument", "The watermark is not one this service issued.");
        }

        if (failure is null && !await log.ExistsAsync(conversationId, http.RequestAborted))
        {
            failure = NotFound();
        }

        if (failure is not null)
        {
            await failure.ExecuteAsync(http);
            return;
        }

        using var socket = await http.WebSockets.AcceptWebSocketAsync();
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, lifetime.ApplicationStopping);
        var cancellationToken = stopping.Token;

        // Subscribe before reading the backlog so nothing falls between the two; duplicates are skipped by watermark.
        using var subscription = streams.Subscribe(conversationId);
        var receiving = DrainUntilClosedAsync(socket, stopping);
        try
        {
            while (true)
            {
                var backlog = await log.ReadAfterAsync(conversationId, sent, options.Value.MaxActivitiesPerGet, cancellationToken);
                if (backlog.Count == 0)
                {
                    break;
                }

                sent = backlog[^1].Sequence;
                await SendAsync(socket, DirectLineActivityLog.ActivitySet(backlog.Select(a => a.Json), sent), cancellationToken);
            }

            // Pushes from this instance arrive at once; activities another instance appended to the shared log (a
            // staff reply sent through the instance the agent uses) are found by reading the log every poll interval.
            var poll = options.Value.StreamPollMilliseconds;
            Task<bool>? waiting = null;
            while (true)
            {
                waiting ??= subscription.Reader.WaitToReadAsync(cancellationToken).AsTask();
                if (poll > 0)
                {
                    await Task.WhenAny(waiting, Task.Delay(poll, cancellationToken));
                }
                else
                {
                    await waiting;
                }

                cancellationToken.ThrowIfCancellationRequested();
                if (!waiting.IsCompleted)
                {
                    var missed = await log.ReadAfterAsync(conversationId, sent, options.Value.MaxActivitiesPerGet, cancellationToken);
                    if (missed.Count > 0)
                    {
                        sent = missed[^1].Sequence;
                        await SendAsync(socket, DirectLineActivityLog.ActivitySet(missed.Select(a => a.Json), sent), cancellationToken);
                    }

                    continue;
                }

                if (!await waiting)
                {
                    break;
                }

                waiting = null;
                while (subscription.Reader.TryRead(out var activity))
                {
                    if (activity.Sequence != 0 && activity.Sequence <= sent)
                    {
                        continue;
                    }

                    if (activity.Sequence > sent + 1)
                    {
                        // Something appended elsewhere came first: send the gap from the log, in order.
                        var gap = await log.ReadAfterAsync(conversationId, sent, options.Value.MaxActivitiesPerGet, cancellationToken);
                        if (gap.Count > 0)
                        {
                            sent = gap[^1].Sequence;
                            await SendAsync(socket, DirectLineActivityLog.ActivitySet(gap.Select(a => a.Json), sent), cancellationToken);
                        }

                        continue;
                    }

                    sent = Math.Max(sent, activity.Sequence);
                    await SendAsync(socket, DirectLineActivityLog.ActivitySet([activity.Json], sent), cancellationToken);
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or IOException)
        {
            // The client left or the host is stopping.
        }

        await stopping.CancelAsync();
        await receiving;
        if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            try
            {
                using var closeTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, closeTimeout.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or IOException)
            {
            }
        }
    }

    internal static (Activity? Activity, string? Error) Parse(byte[] body)
    {
        if (body.Length == 0)
        {
            return (null, "The request body is empty; expected an Activity as JSON.");
        }

        // Syntax first, then shape: the reason says which one was wrong.
        Newtonsoft.Json.Linq.JToken json;
        try
        {
            using var reader = new JsonTextReader(new StreamReader(new MemoryStream(body), Encoding.UTF8)) { MaxDepth = 32, DateParseHandling = DateParseHandling.None };
            json = Newtonsoft.Json.Linq.JToken.ReadFrom(reader);
            if (reader.Read())
            {
                return (null, "The request body is not valid JSON: unexpected content after the activity.");
            }
        }
        catch (JsonReaderException ex)
        {
            return (null, $"The request body is not valid JSON: malformed at line {ex.LineNumber}, position {ex.LinePosition}.");
        }

        if (json is not Newtonsoft.Json.Linq.JObject)
        {
            return (null, "The request body must be a JSON object (an Activity).");
        }

        Activity? activity;
        try
        {
            activity = json.ToObject<Activity>(Serializer);
        }
        catch (JsonException)
        {
            // Newtonsoft's messages quote the offending value; never echo patient text back or into logs.
            return (null, "The request body is not a valid Activity: a field has the wrong type.");
        }

        if (activity is null || string.IsNullOrWhiteSpace(activity.Type))
        {
            return (null, "The activity has no 'type'.");
        }

        if (!DirectLineConversations.AcceptedTypes.Contains(activity.Type))
        {
            return (null, $"Activities of type '{(activity.Type.Length > 40 ? activity.Type[..40] : activity.Type)}' are not accepted; send message, event or typing.");
        }

        if (activity.Type == ActivityTypes.Event && string.IsNullOrWhiteSpace(activity.Name))
        {
            return (null, "The event activity has no 'name'.");
        }

        // The built-in Direct Line has no upload endpoint, so attachments come only from custom clients: they get
        // the whole policy as a 400 with the reason (count, https URLs, photos and PDFs).
        if (Dialogs.Middleware.AttachmentPolicy.Problem(activity.Attachments) is { } attachmentProblem)
        {
            return (null, attachmentProblem);
        }

        return (activity, null);
    }

    private static IResult? Authorize(HttpContext http, DirectLineTokenService tokens, string? conversationId, out DirectLineGrant grant)
    {
        var check = tokens.Check(BearerToken(http), conversationId, out var checkedGrant);
        grant = checkedGrant!;
        return check switch
        {
            TokenCheck.Valid => null,
            TokenCheck.Missing => Error(StatusCodes.Status401Unauthorized, "Unauthorized", "Send 'Authorization: Bearer TOKEN'."),
            TokenCheck.Expired => Error(StatusCodes.Status403Forbidden, "TokenExpired", "The token has expired."),
            TokenCheck.WrongConversation => Error(StatusCodes.Status403Forbidden, "Forbidden", "The token is not valid for this conversation."),
            _ => Error(StatusCodes.Status403Forbidden, "Forbidden", "The token is not valid."),
        };
    }

    private static string? BearerToken(HttpContext http)
    {
        var header = http.Request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : null;
    }

    private static string StreamUrl(HttpContext http, string conversationId, string token, string? watermark)
    {
        var scheme = http.Request.IsHttps ? "wss" : "ws";
        var url = $"{scheme}://{http.Request.Host}{http.Request.PathBase}{BasePath}/conversations/{Uri.EscapeDataString(conversationId)}/stream?t={Uri.EscapeDataString(token)}";
        return string.IsNullOrEmpty(watermark) ? url : url + "&watermark=" + Uri.EscapeDataString(watermark);
    }

    private static bool TryParseWatermark(string? watermark, out long value)
    {
        value = 0;
        return string.IsNullOrEmpty(watermark)
            || (long.TryParse(watermark, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= 0);
    }

    private static async Task SendAsync(WebSocket socket, string json, CancellationToken cancellationToken) =>
        await socket.SendAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text, endOfMessage: true, cancellationToken);

    /// <summary>Web Chat sends nothing meaningful on the stream; read (and drop) until it closes, then stop the sender.</summary>
    private static async Task DrainUntilClosedAsync(WebSocket socket, CancellationTokenSource stop)
    {
        var buffer = new byte[1024];
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var result = await socket.ReceiveAsync(buffer, stop.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or IOException)
        {
        }

        await stop.CancelAsync();
    }

    private static async Task<(byte[] Body, IResult? Error)> ReadBodyAsync(HttpContext http, int limit)
    {
        var tooLarge = Error(StatusCodes.Status413PayloadTooLarge, "MessageSizeTooBig", $"The request body is larger than {limit:N0} bytes.");
        if (http.Request.ContentLength > limit)
        {
            return ([], tooLarge);
        }

        var sizeFeature = http.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (sizeFeature is { IsReadOnly: false })
        {
            sizeFeature.MaxRequestBodySize = limit;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await http.Request.Body.ReadAsync(chunk, http.RequestAborted)) > 0)
            {
                if (buffer.Length + read > limit)
                {
                    return ([], tooLarge);
                }

                buffer.Write(chunk, 0, read);
            }
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return ([], tooLarge);
        }

        return (buffer.ToArray(), null);
    }

    private static IResult NotFound() =>
        Error(StatusCodes.Status404NotFound, "BadArgument", "Conversation not found.");

    /// <summary>The Direct Line error shape: <c>{"error":{"code":"...","message":"..."}}</c>.</summary>
    private static IResult Error(int status, string code, string message) =>
        Results.Json(new ErrorResponse(new ErrorBody(code, message)), statusCode: status);

    internal sealed record TokenResponse(
        [property: JsonPropertyName("conversationId")] string ConversationId,
        [property: JsonPropertyName("token")] string Token,
        [property: JsonPropertyName("expires_in")] int ExpiresIn);

    internal sealed record ConversationResponse(
        [property: JsonPropertyName("conversationId")] string ConversationId,
        [property: JsonPropertyName("token")] string Token,
        [property: JsonPropertyName("expires_in")] int ExpiresIn,
        [property: JsonPropertyName("streamUrl")] string StreamUrl);

    internal sealed record ResourceIdResponse([property: JsonPropertyName("id")] string Id);

    internal sealed record ErrorResponse([property: JsonPropertyName("error")] ErrorBody Error);

    internal sealed record ErrorBody([property: JsonPropertyName("code")] string Code, [property: JsonPropertyName("message")] string Message);
}
