using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using ClinicBot.Bot.Handoff;
using ClinicBot.Tests.Support;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Newtonsoft.Json.Linq;

namespace ClinicBot.Tests.ScaleOut;

/// <summary>
/// Two instances of the real host sharing one store (the same SQLite file) and one Redis backplane: the patient talks
/// to instance A, the agent works on instance B (staff API and a SignalR connection to B), and nothing is lost.
/// </summary>
#pragma warning disable CA1001 // xunit disposes through IAsyncLifetime.DisposeAsync
public sealed class TwoInstanceTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>, IAsyncLifetime
#pragma warning restore CA1001
{
    private readonly string _dataFolder = ClinicBotFactory.NewDataFolder();
    private readonly Microsoft.Extensions.Time.Testing.FakeTimeProvider _clock = ClinicBotFactory.MondayMorning();
    private ClinicBotFactory _a = null!;
    private ClinicBotFactory _b = null!;
    private ReplySink _sink = null!;
    private HubConnection? _hub;
    private readonly ConcurrentQueue<JsonElement> _hubChanges = new();
    private readonly ConcurrentQueue<JsonElement> _hubMessages = new();

    public async Task InitializeAsync()
    {
        _sink = await ReplySink.StartAsync();
        var settings = new Dictionary<string, string?>
        {
            ["ScaleOut:RedisConnectionString"] = redis.ConnectionString,
            ["ScaleOut:PresenceHeartbeatSeconds"] = "0.2",
            ["ScaleOut:PresenceExpirySeconds"] = "5",
            ["DirectLine:StreamPollMilliseconds"] = "200",
        };
        _a = new ClinicBotFactory(_dataFolder, _clock, settings);
        _a.CreateClient().Dispose(); // start A first: it creates the database and the Direct Line signing key
        _b = new ClinicBotFactory(_dataFolder, _clock, settings);
        _b.CreateClient().Dispose();
    }

    public async Task DisposeAsync()
    {
        if (_hub is not null)
        {
            await _hub.DisposeAsync();
        }

        await _sink.DisposeAsync();
        await _a.DisposeAsync();
        await _b.DisposeAsync();
        try
        {
            Directory.Delete(_dataFolder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public async Task PatientOnAAgentOnBMessagesBothWaysAcceptReplyEndAndTheBotResumesOnA()
    {
        var patient = _a.CreateClient();
        Assert.Contains("Redis", _a.Services.GetRequiredService<Microsoft.AspNetCore.SignalR.HubLifetimeManager<ClinicBot.Bot.Staff.StaffHub>>().GetType().Name, StringComparison.Ordinal);
        var agent = await _b.SignedInClientAsync("maria", ClinicBotFactory.AgentPassword);
        await ConnectHubToBAsync();

        // Maria is online on B only; A's bot must count her.
        await WaitUntilAsync(() => Task.FromResult(_a.Services.GetRequiredService<StaffPresence>().IsAvailable("front-desk")), "A never saw the agent connected to B");

        await Send(patient, "conv-scale", "hi, I'm Dana");
        await Send(patient, "conv-scale", "can I talk to a real person");
        await _sink.WaitForMessageAsync("conv-scale", t => t.Contains("next in line", StringComparison.Ordinal));

        // The new chat, queued on A, is announced on B's SignalR connection.
        var changed = await WaitForAsync(_hubChanges, c => c.GetProperty("status").GetString() == "Waiting", "no handoffChanged reached B: " + Diagnostics());
        var id = changed.GetProperty("id").GetString()!;
        Assert.True(await _hub!.InvokeAsync<bool>("Watch", id));

        // A patient message on A reaches the agent's connection on B.
        await Send(patient, "conv-scale", "it's about my invoice");
        await WaitForAsync(_hubMessages, m => m.GetProperty("text").GetString() == "it's about my invoice", "the patient's message never reached B's SignalR connection");

        // Accept on B: the patient on A is told.
        Assert.Equal(HttpStatusCode.OK, (await agent.PostAsync($"/api/staff/handoffs/{id}/accept", null)).StatusCode);
        await _sink.WaitForMessageAsync("conv-scale", t => t.StartsWith("Maria, our front desk coordinator, has joined", StringComparison.Ordinal));

        // A staff reply from B reaches the patient.
        (await agent.PostAsJsonAsync($"/api/staff/handoffs/{id}/send", new { text = "Hi Dana, I can see the invoice." })).EnsureSuccessStatusCode();
        await _sink.WaitForMessageAsync("conv-scale", t => t == "Hi Dana, I can see the invoice.");

        var botRepliesBefore = _sink.Texts("conv-scale").Count;
        await Send(patient, "conv-scale", "thanks! where do you park?");
        await WaitForAsync(_hubMessages, m => m.GetProperty("text").GetString() == "thanks! where do you park?", "the second patient message never reached B");
        Assert.Equal(botRepliesBefore, _sink.Texts("conv-scale").Count); // a person has the chat: the bot on A stays quiet

        // End on B: the bot resumes on A.
        (await agent.PostAsJsonAsync($"/api/staff/handoffs/{id}/end", new { outcome = "resolved" })).EnsureSuccessStatusCode();
        await _sink.WaitForMessageAsync("conv-scale", t => t.Contains("back with the automated assistant", StringComparison.Ordinal));
        var before = _sink.Texts("conv-scale").Count;
        await Send(patient, "conv-scale", "help");
        await WaitUntilAsync(() => Task.FromResult(_sink.Texts("conv-scale").Count > before), "the bot on A did not answer after the handoff ended");

        // Nothing lost: the handoff's transcript, read on B, has every line in order.
        var final = await agent.GetFromJsonAsync<JsonElement>($"/api/staff/handoffs/{id}");
        var texts = final.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("text").GetString()).ToList();
        Assert.True(
            texts.IndexOf("it's about my invoice") < texts.IndexOf("Hi Dana, I can see the invoice.")
            && texts.IndexOf("Hi Dana, I can see the invoice.") < texts.IndexOf("thanks! where do you park?"),
            string.Join(" | ", texts));
    }

    [Fact]
    public async Task DirectLinePatientOnAGetsTheStaffReplySentFromB()
    {
        using var directLine = _a.DirectLine();
        var agent = await _b.SignedInClientAsync("maria", ClinicBotFactory.AgentPassword);
        await ConnectHubToBAsync();
        await WaitUntilAsync(() => Task.FromResult(_a.Services.GetRequiredService<StaffPresence>().IsAvailable("front-desk")), "A never saw the agent connected to B");

        var conversation = await directLine.StartConversationAsync();
        var conversationId = (string)conversation["conversationId"]!;
        var token = (string)conversation["token"]!;
        var ws = _a.Server.CreateWebSocketClient();
        using var socket = await ws.ConnectAsync(new Uri(_a.Server.BaseAddress, new Uri((string)conversation["streamUrl"]!).PathAndQuery), CancellationToken.None);
        var seen = new ConcurrentQueue<string>();
        using var stop = new CancellationTokenSource();
        var reading = ReadBotTextsAsync(socket, seen, stop.Token);

        await directLine.SayAsync(conversationId, token, "hi, I'm Dana");
        await directLine.SayAsync(conversationId, token, "can I talk to a real person");
        await WaitUntilAsync(() => Task.FromResult(seen.Any(t => t.Contains("next in line", StringComparison.Ordinal))), "no queue position on the socket");

        var changed = await WaitForAsync(_hubChanges, c => c.GetProperty("status").GetString() == "Waiting", "no handoffChanged reached B");
        var id = changed.GetProperty("id").GetString()!;
        Assert.True(await _hub!.InvokeAsync<bool>("Watch", id));
        await directLine.SayAsync(conversationId, token, "my knee hurts after the session");
        await WaitForAsync(_hubMessages, m => m.GetProperty("text").GetString() == "my knee hurts after the session", "the Direct Line patient's message never reached B");

        // Accept and reply on B: B runs the turns and appends to the shared log; A's socket picks them up.
        (await agent.PostAsync($"/api/staff/handoffs/{id}/accept", null)).EnsureSuccessStatusCode();
        (await agent.PostAsJsonAsync($"/api/staff/handoffs/{id}/send", new { text = "Sorry to hear that, Dana. Let's look at it." })).EnsureSuccessStatusCode();
        await WaitUntilAsync(() => Task.FromResult(seen.Contains("Sorry to hear that, Dana. Let's look at it.")), "the staff reply from B never reached the socket on A: " + string.Join(" | ", seen));
        Assert.Contains(seen, t => t.StartsWith("Maria, our front desk coordinator, has joined", StringComparison.Ordinal));

        (await agent.PostAsJsonAsync($"/api/staff/handoffs/{id}/end", new { outcome = "resolved" })).EnsureSuccessStatusCode();
        await WaitUntilAsync(() => Task.FromResult(seen.Any(t => t.Contains("back with the automated assistant", StringComparison.Ordinal))), "the end never reached the socket on A");

        // The log (read through A) has everything once, in order, as the socket delivered it.
        var (activities, _) = await directLine.GetActivitiesAsync(conversationId, token);
        var logged = DirectLineTestClient.BotTexts(activities);
        Assert.Equal(logged, seen.ToList());
        await stop.CancelAsync();
        await reading;
    }

    [Fact]
    public async Task AFollowUpCreatedOnAAndAnsweredOnBReachesThePatient()
    {
        const string Question = "do you sell gift cards for massage sessions";
        var patient = _a.CreateClient();
        var staff = await _b.SignedInClientAsync("maria", ClinicBotFactory.AgentPassword);

        await _a.PostActivityAsync(patient, _sink, "conv-follow", Question);
        await _sink.WaitForMessageAsync("conv-follow", t => t.EndsWith("Is that right?", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
        await _a.PostActivityAsync(patient, _sink, "conv-follow", "yes");
        await _sink.WaitForMessageAsync("conv-follow", t => t == "Let me try to find out for you.");

        var followUp = Assert.Single((await staff.GetFromJsonAsync<JsonElement>("/api/staff/follow-ups")).EnumerateArray());
        const string answer = "Yes: gift cards are sold at the front desk.";
        var answered = await staff.PostAsJsonAsync($"/api/staff/follow-ups/{followUp.GetProperty("id").GetString()}/answer", new { answer, addToKnowledgeBase = false });
        Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
        await _sink.WaitForMessageAsync("conv-follow", t => t.Contains(answer, StringComparison.Ordinal));
    }

    private string Diagnostics() =>
        string.Join("\n", _a.Logs.Lines.Concat(_b.Logs.Lines).Where(l => l.Contains("SignalR", StringComparison.OrdinalIgnoreCase) || l.Contains("Redis", StringComparison.OrdinalIgnoreCase) || l.StartsWith("Warn", StringComparison.Ordinal) || l.StartsWith("Error", StringComparison.Ordinal)).Take(40));

    private async Task ConnectHubToBAsync()
    {
        // Sign in on B without a cookie container, to hand the cookie to the SignalR client.
        using var raw = _b.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false, AllowAutoRedirect = false });
        var response = await raw.PostAsJsonAsync("/api/staff/sign-in", new { userName = "maria", password = ClinicBotFactory.AgentPassword });
        response.EnsureSuccessStatusCode();
        var cookie = string.Join("; ", response.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]));

        _hub = new HubConnectionBuilder()
            .WithUrl(new Uri(_b.Server.BaseAddress, "/staff/hub"), o =>
            {
                o.Transports = HttpTransportType.LongPolling;
                o.HttpMessageHandlerFactory = _ => _b.Server.CreateHandler();
                o.Headers["Cookie"] = cookie;
            })
            .Build();
        _hub.On<JsonElement>("handoffChanged", c => _hubChanges.Enqueue(c));
        _hub.On<JsonElement>("message", m => _hubMessages.Enqueue(m));
        await _hub.StartAsync();
    }

    private async Task Send(HttpClient patient, string conversationId, string text)
    {
        var response = await _a.PostActivityAsync(patient, _sink, conversationId, text);
        Assert.True(response.IsSuccessStatusCode, $"/api/messages on A answered {(int)response.StatusCode}");
    }

    private static async Task ReadBotTextsAsync(WebSocket socket, ConcurrentQueue<string> seen, CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var result = await socket.ReceiveAsync(buffer, cancellationToken);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                message.Write(buffer, 0, result.Count);
                if (!result.EndOfMessage)
                {
                    continue;
                }

                var text = Encoding.UTF8.GetString(message.ToArray());
                message.SetLength(0);
                if (text.Length == 0)
                {
                    continue;
                }

                foreach (var bot in DirectLineTestClient.BotTexts((JArray)JObject.Parse(text)["activities"]!))
                {
                    seen.Enqueue(bot);
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
        {
        }
    }

    private static async Task<JsonElement> WaitForAsync(ConcurrentQueue<JsonElement> queue, Func<JsonElement, bool> match, string failure)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            foreach (var item in queue)
            {
                if (match(item))
                {
                    return item;
                }
            }

            Assert.True(DateTime.UtcNow < deadline, failure);
            await Task.Delay(50);
        }
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string failure)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, failure);
            await Task.Delay(50);
        }
    }
}
