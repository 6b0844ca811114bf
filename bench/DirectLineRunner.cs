using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;

namespace ClinicBot.Bench;

/// <summary>
/// The built-in Direct Line 3.0 as Web Chat uses it: a token per visitor, start the conversation, open the WebSocket
/// stream, then post messages; a turn's latency is from starting the POST to the bot's reply arriving on the socket.
/// Each conversation waits <c>thinkTime</c> between its messages so it stays inside the per-conversation rate limit
/// (20 activities / 10 s by default), as a real visitor would.
/// </summary>
public sealed class DirectLineRunner(BotProcess bot, HttpClient http, TextWriter log)
{
    public const string Message = "thanks";

    public async Task<LoadResult> RunAsync(int conversations, TimeSpan warmup, TimeSpan duration, TimeSpan thinkTime, CancellationToken cancellationToken)
    {
        // Connect everyone first (not timed): 100 visitors opening the widget.
        var clients = new DirectLineClient[conversations];
        for (var i = 0; i < conversations; i += 10)
        {
            await Task.WhenAll(Enumerable.Range(i, Math.Min(10, conversations - i)).Select(async j =>
                clients[j] = await DirectLineClient.ConnectAsync(bot.BaseUrl, http, $"bench-{j}", cancellationToken)));
        }

        var clock = Stopwatch.StartNew();
        var window = new MeasurementWindow(clock);
        var tasks = clients.Select((c, i) => Task.Run(() => c.RunAsync(clock, window, thinkTime, TimeSpan.FromMilliseconds(i * thinkTime.TotalMilliseconds / conversations), cancellationToken), cancellationToken)).ToArray();
        var (cpu, seconds) = await window.RunAsync(bot, warmup, duration, cancellationToken);
        await Task.WhenAll(tasks);
        foreach (var client in clients)
        {
            await client.DisposeAsync();
        }

        var result = window.Annotate(LoadResult.From(
            "directline",
            "built-in Direct Line + WebSocket",
            conversations,
            clients.SelectMany(c => c.Latencies).ToList(),
            seconds,
            cpu,
            bot.PeakRssBytes(),
            clients.Sum(c => c.Errors),
            0,
            clients.Select(c => c.FirstProblem).FirstOrDefault(p => p is not null)));
        log.WriteLine($"  directline (warm-up {window.Warmup.TotalSeconds:F0} s): {result.TurnsPerSecond:F0} turns/s, p50 {result.P50:F1} ms, p99 {result.P99:F1} ms, {result.CpuMsPerTurn:F2} ms CPU/turn, errors {result.Errors}");
        return result;
    }

    private sealed class DirectLineClient : IAsyncDisposable
    {
        private readonly HttpClient _http;
        private readonly string _baseUrl;
        private readonly string _token;
        private readonly string _conversationId;
        private readonly ClientWebSocket _socket;
        private readonly Channel<long> _botMessages = Channel.CreateUnbounded<long>();
        private readonly CancellationTokenSource _stop = new();
        private Task _receiving = Task.CompletedTask;

        private DirectLineClient(HttpClient http, string baseUrl, string token, string conversationId, ClientWebSocket socket)
        {
            _http = http;
            _baseUrl = baseUrl;
            _token = token;
            _conversationId = conversationId;
            _socket = socket;
        }

        public List<double> Latencies { get; } = [];

        public long Errors { get; private set; }

        public string? FirstProblem { get; private set; }

        public static async Task<DirectLineClient> ConnectAsync(string baseUrl, HttpClient http, string visitorId, CancellationToken cancellationToken)
        {
            using var generate = new HttpRequestMessage(HttpMethod.Post, baseUrl + "/v3/directline/tokens/generate")
            {
                Content = new StringContent($"{{\"user\":{{\"id\":\"{visitorId}\"}}}}", Encoding.UTF8, "application/json"),
            };
            using var tokenResponse = await http.SendAsync(generate, cancellationToken);
            tokenResponse.EnsureSuccessStatusCode();
            using var tokenJson = JsonDocument.Parse(await tokenResponse.Content.ReadAsStringAsync(cancellationToken));
            var token = tokenJson.RootElement.GetProperty("token").GetString()!;

            using var start = new HttpRequestMessage(HttpMethod.Post, baseUrl + "/v3/directline/conversations");
            start.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var started = await http.SendAsync(start, cancellationToken);
            started.EnsureSuccessStatusCode();
            using var conversation = JsonDocument.Parse(await started.Content.ReadAsStringAsync(cancellationToken));
            var conversationId = conversation.RootElement.GetProperty("conversationId").GetString()!;
            var streamUrl = conversation.RootElement.GetProperty("streamUrl").GetString()!;

            var socket = new ClientWebSocket();
            await socket.ConnectAsync(new Uri(streamUrl), cancellationToken);
            var client = new DirectLineClient(http, baseUrl, token, conversationId, socket);
            client._receiving = client.ReceiveAsync();
            return client;
        }

        public async Task RunAsync(Stopwatch clock, MeasurementWindow window, TimeSpan thinkTime, TimeSpan offset, CancellationToken cancellationToken)
        {
            await Task.Delay(offset, cancellationToken);
            while (!window.IsOver)
            {
                while (_botMessages.Reader.TryRead(out _))
                {
                    // Extra messages of the previous turn (the greeting on the first one) are not this turn's reply.
                }

                var started = clock.Elapsed;
                var startedTicks = Stopwatch.GetTimestamp();
                try
                {
                    using var post = new HttpRequestMessage(HttpMethod.Post, $"{_baseUrl}/v3/directline/conversations/{Uri.EscapeDataString(_conversationId)}/activities")
                    {
                        Content = new StringContent($$"""{"type":"message","from":{"id":"ignored","name":"Alex Rivera"},"text":"{{Message}}"}""", Encoding.UTF8, "application/json"),
                    };
                    post.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _token);
                    using var response = await _http.SendAsync(post, cancellationToken);
                    if (!response.IsSuccessStatusCode)
                    {
                        throw new HttpRequestException($"POST activities answered {(int)response.StatusCode}");
                    }

                    using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                    timeout.CancelAfter(TimeSpan.FromSeconds(10));
                    var seenTicks = await _botMessages.Reader.ReadAsync(timeout.Token);
                    var ended = clock.Elapsed;
                    if (window.Contains(started, ended))
                    {
                        Latencies.Add(Stopwatch.GetElapsedTime(startedTicks, seenTicks).TotalMilliseconds);
                    }
                }
                catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
                {
                    Errors++;
                    FirstProblem ??= ex is OperationCanceledException ? "no reply on the WebSocket within 10 s" : ex.Message;
                }

                await Task.Delay(thinkTime, cancellationToken);
            }
        }

        public async ValueTask DisposeAsync()
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException)
            {
            }

            await _stop.CancelAsync();
            await _receiving;
            _socket.Dispose();
            _stop.Dispose();
        }

        private async Task ReceiveAsync()
        {
            var buffer = new byte[64 * 1024];
            try
            {
                while (!_stop.IsCancellationRequested)
                {
                    var length = 0;
                    ValueWebSocketReceiveResult result;
                    do
                    {
                        result = await _socket.ReceiveAsync(buffer.AsMemory(length), _stop.Token);
                        length += result.Count;
                        if (length == buffer.Length)
                        {
                            Array.Resize(ref buffer, buffer.Length * 2);
                        }
                    }
                    while (!result.EndOfMessage);

                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        return;
                    }

                    var now = Stopwatch.GetTimestamp();
                    if (length == 0)
                    {
                        continue; // keep-alive
                    }

                    using var set = JsonDocument.Parse(buffer.AsMemory(0, length));
                    foreach (var activity in set.RootElement.GetProperty("activities").EnumerateArray())
                    {
                        if (activity.TryGetProperty("type", out var type) && type.GetString() == "message"
                            && activity.TryGetProperty("from", out var from) && from.TryGetProperty("role", out var role) && role.GetString() == "bot")
                        {
                            _botMessages.Writer.TryWrite(now);
                        }
                    }
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or IOException)
            {
            }
        }
    }
}
