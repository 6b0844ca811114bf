using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace ClinicBot.Tests.Support;

/// <summary>
/// A stand-in for a channel's connector service (Azure Bot Service's serviceUrl): a real HTTP listener on
/// loopback that records every activity the bot sends and acknowledges it the way the connector does.
/// </summary>
public sealed class ReplySink : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<JObject> _activities = new();
    private readonly SemaphoreSlim _arrived = new(0);

    private ReplySink(WebApplication app)
    {
        _app = app;
    }

    public string ServiceUrl { get; private set; } = string.Empty;

    public IReadOnlyCollection<JObject> Activities => _activities;

    public static async Task<ReplySink> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var sink = new ReplySink(app);
        app.MapPost("/v3/conversations/{conversationId}/activities/{**replyTo}", (Delegate)sink.RecordAsync);
        app.MapPost("/v3/conversations/{conversationId}/activities", (Delegate)sink.RecordAsync);
        await app.StartAsync();
        sink.ServiceUrl = app.Urls.First() + "/";
        return sink;
    }

    /// <summary>Texts of the message activities received for a conversation, in arrival order.</summary>
    public IReadOnlyList<string> Texts(string conversationId) =>
        _activities.Where(a => a.Value<string>("type") == "message" && a["conversation"]?.Value<string>("id") == conversationId)
            .Select(a => a.Value<string>("text") ?? string.Empty)
            .ToList();

    /// <summary>Waits until a message for the conversation satisfies the condition, or fails after the timeout.</summary>
    public async Task<string> WaitForTextAsync(string conversationId, Func<string, bool> condition, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            var match = Texts(conversationId).FirstOrDefault(condition);
            if (match is not null)
            {
                return match;
            }

            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                throw new TimeoutException($"No matching message in {conversationId}. Received: {string.Join(" | ", Texts(conversationId))}");
            }

            await _arrived.WaitAsync(left < TimeSpan.FromMilliseconds(200) ? left : TimeSpan.FromMilliseconds(200));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _arrived.Dispose();
    }

    private async Task<IResult> RecordAsync(HttpContext http)
    {
        using var reader = new StreamReader(http.Request.Body);
        var activity = JObject.Parse(await reader.ReadToEndAsync());
        _activities.Enqueue(activity);
        _arrived.Release();
        return Results.Content(JsonConvert.SerializeObject(new { id = Guid.NewGuid().ToString("N") }), "application/json");
    }
}
