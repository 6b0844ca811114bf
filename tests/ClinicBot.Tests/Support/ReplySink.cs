using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Bot.Schema;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Newtonsoft.Json;

namespace ClinicBot.Tests.Support;

/// <summary>
/// A stand-in for a channel's connector service: Kestrel on 127.0.0.1 (a free port) that records every activity the bot
/// posts to <c>/v3/conversations/{id}/activities[/{replyToId}]</c> and answers <c>{"id":"..."}</c>. Use its
/// <see cref="ServiceUrl"/> as the activity's serviceUrl.
/// </summary>
public sealed class ReplySink : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<(string ConversationId, Activity Activity)> _received = new();
    private readonly SemaphoreSlim _arrived = new(0);
    private int _ids;
    private int _arriving;

    private ReplySink(WebApplication app)
    {
        _app = app;
    }

    public string ServiceUrl { get; private set; } = string.Empty;

    /// <summary>How long the sink waits before answering each activity (a slow channel: keeps the bot's turn in flight).</summary>
    public TimeSpan Delay { get; set; }

    /// <summary>Activities whose POST has arrived, including ones still being delayed.</summary>
    public int Arriving => Volatile.Read(ref _arriving);

    /// <summary>Every activity received so far, in arrival order.</summary>
    public IReadOnlyList<Activity> Activities => _received.Select(r => r.Activity).ToList();

    /// <summary>The texts of the message activities sent to one conversation, in order.</summary>
    public IReadOnlyList<string> Texts(string conversationId) =>
        _received.Where(r => r.ConversationId == conversationId && r.Activity.Type == ActivityTypes.Message).Select(r => r.Activity.Text ?? string.Empty).ToList();

    public static async Task<ReplySink> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var sink = new ReplySink(app);
        app.MapPost("/v3/conversations/{conversationId}/activities/{replyToId?}", (Delegate)sink.ReceiveAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        sink.ServiceUrl = address.TrimEnd('/') + "/";
        return sink;
    }

    /// <summary>Waits until a message to the conversation satisfies the predicate; returns it.</summary>
    public async Task<Activity> WaitForMessageAsync(string conversationId, Func<string, bool> predicate, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (true)
        {
            var match = _received.Where(r => r.ConversationId == conversationId && r.Activity.Type == ActivityTypes.Message)
                .Select(r => r.Activity).FirstOrDefault(a => predicate(a.Text ?? string.Empty));
            if (match is not null)
            {
                return match;
            }

            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                throw new TimeoutException($"No matching message reached conversation {conversationId}. Received: {string.Join(" | ", Texts(conversationId))}");
            }

            await _arrived.WaitAsync(left < TimeSpan.FromMilliseconds(200) ? left : TimeSpan.FromMilliseconds(200));
        }
    }

    /// <summary>Waits until a message to the conversation satisfies the condition; returns its text.</summary>
    public async Task<string> WaitForTextAsync(string conversationId, Func<string, bool> condition, TimeSpan? timeout = null) =>
        (await WaitForMessageAsync(conversationId, condition, timeout)).Text ?? string.Empty;

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _arrived.Dispose();
    }

    private async Task<IResult> ReceiveAsync(HttpContext http, string conversationId)
    {
        Interlocked.Increment(ref _arriving);
        if (Delay > TimeSpan.Zero)
        {
            await Task.Delay(Delay);
        }

        using var reader = new StreamReader(http.Request.Body);
        var activity = JsonConvert.DeserializeObject<Activity>(await reader.ReadToEndAsync()) ?? new Activity();
        _received.Enqueue((Uri.UnescapeDataString(conversationId), activity));
        _arrived.Release();
        return Results.Json(new { id = "sink-" + Interlocked.Increment(ref _ids) });
    }
}
