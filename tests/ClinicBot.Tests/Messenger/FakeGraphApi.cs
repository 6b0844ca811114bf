using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ClinicBot.Tests.Messenger;

/// <summary>One request the fake received.</summary>
public sealed record RecordedRequest(string Method, string Path, IQueryCollection Query, string Body)
{
    public JsonNode? Json => Body.Length == 0 ? null : JsonNode.Parse(Body);

    public bool IsSendApi => Method == "POST" && Path.EndsWith("/me/messages", StringComparison.Ordinal);

    public string? RecipientId => Json?["recipient"]?["id"]?.GetValue<string>();

    public string? Text => Json?["message"]?["text"]?.GetValue<string>();

    public string? MessagingType => Json?["messaging_type"]?.GetValue<string>();

    public string? Tag => Json?["tag"]?.GetValue<string>();

    public string? SenderAction => Json?["sender_action"]?.GetValue<string>();

    public IReadOnlyList<(string Title, string Payload)> QuickReplies =>
        Json?["message"]?["quick_replies"]?.AsArray().Select(q => (q!["title"]!.GetValue<string>(), q["payload"]!.GetValue<string>())).ToList() ?? [];
}

/// <summary>
/// A local stand-in for Meta's Graph API (Send API, User Profile API) and for a Bot Framework channel's reply
/// endpoint (/v3/conversations/...), on Kestrel at 127.0.0.1 with a free port. Records every request.
/// </summary>
public sealed class FakeGraphApi : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _messageCount;

    private FakeGraphApi(WebApplication app)
    {
        _app = app;
    }

    public string BaseUrl { get; private set; } = string.Empty;

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    /// <summary>Profiles by PSID; others get Graph's "object does not exist" error.</summary>
    public ConcurrentDictionary<string, (string First, string Last)> Profiles { get; } = new();

    public IEnumerable<RecordedRequest> SendApiMessages => Requests.Where(r => r.IsSendApi && r.SenderAction is null);

    public IEnumerable<RecordedRequest> ChannelReplies => Requests.Where(r => r.Path.StartsWith("/v3/conversations/", StringComparison.Ordinal));

    public static async Task<FakeGraphApi> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var fake = new FakeGraphApi(app);
        app.Run(fake.HandleAsync);
        await app.StartAsync();
        fake.BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        return fake;
    }

    /// <summary>Waits until <paramref name="condition"/> holds (the bot works in the background), or fails.</summary>
    public async Task WaitUntilAsync(Func<FakeGraphApi, bool> condition, string what, int timeoutSeconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        while (!condition(this))
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Timed out waiting for {what}. Requests so far:\n" + string.Join("\n", Requests.Select(r => $"{r.Method} {r.Path} {r.Body}")));
            }

            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext http)
    {
        using var reader = new StreamReader(http.Request.Body);
        var body = await reader.ReadToEndAsync();
        var path = http.Request.Path.Value ?? string.Empty;
        Requests.Enqueue(new RecordedRequest(http.Request.Method, path, http.Request.Query, body));

        if (path.StartsWith("/v3/conversations/", StringComparison.Ordinal))
        {
            await http.Response.WriteAsJsonAsync(new { id = "reply-" + Interlocked.Increment(ref _messageCount) });
            return;
        }

        if (http.Request.Method == "POST" && path.EndsWith("/me/messages", StringComparison.Ordinal))
        {
            var json = JsonNode.Parse(body);
            await http.Response.WriteAsJsonAsync(new
            {
                recipient_id = json?["recipient"]?["id"]?.GetValue<string>(),
                message_id = "m_out_" + Interlocked.Increment(ref _messageCount),
            });
            return;
        }

        var segments = path.Trim('/').Split('/');
        if (http.Request.Method == "GET" && segments.Length == 2 && Profiles.TryGetValue(segments[1], out var profile))
        {
            await http.Response.WriteAsJsonAsync(new { first_name = profile.First, last_name = profile.Last, id = segments[1] });
            return;
        }

        http.Response.StatusCode = 400;
        await http.Response.WriteAsJsonAsync(new { error = new { message = "Unsupported get request.", type = "GraphMethodException", code = 100, error_subcode = 33 } });
    }
}
