using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ClinicBot.Bench;

/// <summary>
/// The load generator's own connector (the activity's serviceUrl): a Kestrel endpoint on loopback answering
/// POST /v3/conversations/{id}/activities[/{replyTo}] with {"id":...} as Azure Bot Service does. It counts replies per
/// conversation from the route alone (no JSON parsing on the hot path) so it costs the bench as little as possible;
/// with <see cref="KeepTexts"/> it also keeps the texts (smoke runs and <c>--show</c>).
/// </summary>
public sealed class ReplySink : IAsyncDisposable
{
    private static readonly byte[] Acknowledgement = """{"id":"0"}"""u8.ToArray();
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, Counter> _counts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ConcurrentQueue<string>> _texts = new(StringComparer.Ordinal);

    private ReplySink(WebApplication app, bool keepTexts)
    {
        _app = app;
        KeepTexts = keepTexts;
    }

    public string ServiceUrl { get; private set; } = string.Empty;

    public bool KeepTexts { get; }

    public static async Task<ReplySink> StartAsync(bool keepTexts)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var sink = new ReplySink(app, keepTexts);
        app.MapPost("/v3/conversations/{conversationId}/activities/{**replyTo}", sink.RecordAsync);
        app.MapPost("/v3/conversations/{conversationId}/activities", sink.RecordAsync);
        await app.StartAsync();
        sink.ServiceUrl = app.Urls.First() + "/";
        return sink;
    }

    /// <summary>Replies received so far for a conversation.</summary>
    public int Count(string conversationId) => _counts.TryGetValue(conversationId, out var counter) ? Volatile.Read(ref counter.Value) : 0;

    /// <summary>Message texts received for a conversation (only with <see cref="KeepTexts"/>).</summary>
    public IReadOnlyList<string> Texts(string conversationId) =>
        _texts.TryGetValue(conversationId, out var queue) ? queue.ToList() : [];

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task RecordAsync(HttpContext http, string conversationId)
    {
        if (KeepTexts)
        {
            using var document = await JsonDocument.ParseAsync(http.Request.Body);
            if (document.RootElement.TryGetProperty("type", out var type) && type.GetString() == "message")
            {
                var text = document.RootElement.TryGetProperty("text", out var t) ? t.GetString() ?? string.Empty : string.Empty;
                _texts.GetOrAdd(conversationId, _ => new ConcurrentQueue<string>()).Enqueue(text);
            }
        }
        else
        {
            // Drain the body without parsing it.
            var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(8192);
            try
            {
                while (await http.Request.Body.ReadAsync(buffer) > 0)
                {
                }
            }
            finally
            {
                System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        Interlocked.Increment(ref _counts.GetOrAdd(conversationId, _ => new Counter()).Value);
        http.Response.ContentType = "application/json";
        http.Response.ContentLength = Acknowledgement.Length;
        await http.Response.Body.WriteAsync(Acknowledgement);
    }

    private sealed class Counter
    {
        public int Value;
    }
}
