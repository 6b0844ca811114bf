using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;

namespace ClinicBot.Bench;

/// <summary>
/// N concurrent simulated conversations posting scripted turns to the bot's /api/messages. A turn is complete when
/// the POST returns (the bot sends its replies to the connector before it answers) and the sink has counted the
/// expected replies. Warm-up turns are run and discarded; CPU time of the bot is read at the window's edges.
/// </summary>
public sealed class LoadRunner(BotProcess bot, ReplySink sink, HttpClient http, TextWriter log)
{
    private readonly ReplySink _sink = sink;

    private static readonly MediaTypeHeaderValue Json = new("application/json") { CharSet = "utf-8" };

    public async Task<LoadResult> RunAsync(Script script, string wiring, int conversations, TimeSpan warmup, TimeSpan duration, string runId, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var window = new MeasurementWindow(clock);
        var workers = new Worker[conversations];
        for (var i = 0; i < conversations; i++)
        {
            workers[i] = new Worker(this, script, $"{runId}-{i}", clock, window);
        }

        var tasks = workers.Select(w => Task.Run(() => w.RunAsync(cancellationToken), cancellationToken)).ToArray();
        var (cpu, seconds) = await window.RunAsync(bot, warmup, duration, cancellationToken);
        await Task.WhenAll(tasks);

        var latencies = workers.SelectMany(w => w.Latencies).ToList();
        var result = window.Annotate(LoadResult.From(
            script.Name,
            wiring,
            conversations,
            latencies,
            seconds,
            cpu,
            bot.PeakRssBytes(),
            workers.Sum(w => w.Errors),
            workers.Sum(w => w.Unexpected),
            workers.Select(w => w.FirstProblem).FirstOrDefault(p => p is not null)));
        log.WriteLine($"  {script.Name} ({wiring}, warm-up {window.Warmup.TotalSeconds:F0} s): {result.TurnsPerSecond:F0} turns/s, p50 {result.P50:F1} ms, p99 {result.P99:F1} ms, {result.CpuMsPerTurn:F2} ms CPU/turn, errors {result.Errors}, unexpected replies {result.UnexpectedReplies}");
        return result;
    }

    /// <summary>Runs one conversation of the script once, through its prologue and one pass of its loop (smoke runs, --show).</summary>
    public async Task<IReadOnlyList<(string Said, IReadOnlyList<string> Heard)>> TranscriptAsync(Script script, string conversationId, CancellationToken cancellationToken)
    {
        var transcript = new List<(string, IReadOnlyList<string>)>();
        var seen = 0;
        foreach (var step in script.Prologue.Concat(script.Loop))
        {
            await PostAsync(step, conversationId, "user-" + conversationId, cancellationToken);
            var texts = _sink.Texts(conversationId);
            transcript.Add((step.Join ? "(joins)" : step.Text!, texts.Skip(seen).ToList()));
            seen = texts.Count;
        }

        return transcript;
    }

    private async Task PostAsync(Step step, string conversationId, string userId, CancellationToken cancellationToken)
    {
        using var content = new ByteArrayContent(Activity(step, conversationId, userId, _sink.ServiceUrl));
        content.Headers.ContentType = Json;
        using var response = await http.PostAsync(bot.BaseUrl + "/api/messages", content, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"/api/messages answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }
    }

    internal static byte[] Activity(Step step, string conversationId, string userId, string serviceUrl)
    {
        using var buffer = new MemoryStream(512);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("type", step.Join ? "conversationUpdate" : "message");
            json.WriteString("id", Guid.NewGuid().ToString("N"));
            json.WriteString("channelId", "webchat");
            json.WriteString("serviceUrl", serviceUrl);
            json.WriteString("timestamp", DateTimeOffset.UtcNow);
            json.WriteStartObject("conversation");
            json.WriteString("id", conversationId);
            json.WriteEndObject();
            json.WriteStartObject("from");
            json.WriteString("id", userId);
            json.WriteString("name", "Alex Rivera");
            json.WriteEndObject();
            json.WriteStartObject("recipient");
            json.WriteString("id", "bot");
            json.WriteString("name", "ClinicBot");
            json.WriteEndObject();
            if (step.Join)
            {
                json.WriteStartArray("membersAdded");
                json.WriteStartObject();
                json.WriteString("id", userId);
                json.WriteString("name", "Alex Rivera");
                json.WriteEndObject();
                json.WriteStartObject();
                json.WriteString("id", "bot");
                json.WriteString("name", "ClinicBot");
                json.WriteEndObject();
                json.WriteEndArray();
            }
            else
            {
                json.WriteString("text", step.Text);
            }

            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private sealed class Worker(LoadRunner runner, Script script, string prefix, Stopwatch clock, MeasurementWindow window)
    {
        public List<double> Latencies { get; } = [];

        public long Errors { get; private set; }

        public long Unexpected { get; private set; }

        public string? FirstProblem { get; private set; }

        public async Task RunAsync(CancellationToken cancellationToken)
        {
            var generation = 0;
            while (!window.IsOver)
            {
                var conversationId = $"{prefix}-{generation++}";
                var userId = "user-" + conversationId;
                foreach (var step in script.Prologue)
                {
                    if (!await TurnAsync(step, conversationId, userId, cancellationToken))
                    {
                        break;
                    }
                }

                while (!script.NewConversationEachTime && !window.IsOver)
                {
                    foreach (var step in script.Loop)
                    {
                        if (window.IsOver || !await TurnAsync(step, conversationId, userId, cancellationToken))
                        {
                            break;
                        }
                    }
                }
            }
        }

        private async Task<bool> TurnAsync(Step step, string conversationId, string userId, CancellationToken cancellationToken)
        {
            var before = runner._sink.Count(conversationId);
            var started = clock.Elapsed;
            try
            {
                await runner.PostAsync(step, conversationId, userId, cancellationToken);
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                Errors++;
                FirstProblem ??= ex.Message;
                return false;
            }

            var ended = clock.Elapsed;
            var heard = runner._sink.Count(conversationId) - before;
            if (heard != step.ExpectedReplies)
            {
                Unexpected++;
                FirstProblem ??= $"'{step.Text ?? "(joins)"}' got {heard} replies, expected {step.ExpectedReplies}";
            }

            if (window.Contains(started, ended))
            {
                Latencies.Add((ended - started).TotalMilliseconds);
            }

            return true;
        }
    }
}
