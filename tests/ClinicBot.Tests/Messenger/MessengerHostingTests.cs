using System.Net;
using System.Net.Http.Json;
using ClinicBot.Bot.Messenger;
using ClinicBot.Bot.Storage.Sqlite;
using ClinicBot.Bot.Storage;
using ClinicBot.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace ClinicBot.Tests.Messenger;

/// <summary>Start-up behaviour of the Messenger channel and the Azure Bot Service facebook channel, through the real host.</summary>
public sealed class MessengerHostingTests
{
    [Fact]
    public async Task EventsRecordedBeforeACrashAreProcessedAtStart()
    {
        await using var graph = await FakeGraphApi.StartAsync();
        graph.Profiles["PSID-DANA"] = ("Dana", "Lopez");
        await using var host = MessengerBot(graph);

        // The webhook recorded the event and answered 200, then the process died before the bot ran.
        using (var database = new SqliteDatabase(Options.Create(new StorageOptions { Sqlite = new SqliteStorageOptions { Path = Path.Combine(host.DataFolder, "clinicbot.db") } }), [MessengerInbox.Schema]))
        {
            var events = MessengerWebhook.ExtractEvents(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(MessengerPage.TextMessage("PSID-DANA", "mid.before-crash", "hello")));
            Assert.Equal(1, await new MessengerInbox(database, TimeProvider.System).AddAsync(events, default));
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _ = host.Server;

        await graph.WaitUntilAsync(g => g.SendApiMessages.Any(m => m.Text?.StartsWith("Hi Dana!", StringComparison.Ordinal) == true), "the replayed event's greeting");
        Assert.All(graph.SendApiMessages, m => Assert.Equal("PSID-DANA", m.RecipientId));
    }

    [Fact]
    public async Task AMissingSecretStopsStartWithASentenceNamingTheSetting()
    {
        await using var graph = await FakeGraphApi.StartAsync();
        await using var host = MessengerBot(graph, new Dictionary<string, string?> { ["Messenger:AppSecret"] = "" });
        var failure = Assert.ThrowsAny<Exception>(() => host.Server);
        Assert.Contains("Messenger:AppSecret is required when Messenger:Enabled is true", failure.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WhenDisabledTheWebhookIsNotThereAndNoSecretsAreNeeded()
    {
        await using var graph = await FakeGraphApi.StartAsync();
        await using var host = MessengerBot(graph, new Dictionary<string, string?>
        {
            ["Messenger:Enabled"] = "false",
            ["Messenger:AppSecret"] = "",
            ["Messenger:PageAccessToken"] = "",
            ["Messenger:VerifyToken"] = "",
        });
        var response = await host.CreateClient().GetAsync("/api/messenger?hub.mode=subscribe&hub.verify_token=&hub.challenge=1");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task FacebookThroughAzureBotServiceGreetsByChannelNameAndSplitsLongReplies()
    {
        await using var graph = await FakeGraphApi.StartAsync();
        var recognizer = new ScriptedRecognizer();
        await using var host = MessengerBot(graph, recognizer: recognizer);
        var paragraphs = Enumerable.Range(1, 3).Select(i => $"Part {i}. " + string.Join(' ', Enumerable.Repeat("Our therapists plan every session with you.", 22))).ToArray();
        var answer = string.Join("\n\n", paragraphs);
        recognizer.Answers("plan my sessions", answer);

        var activity = new
        {
            type = "message",
            id = "fb-activity-1",
            channelId = "facebook",
            serviceUrl = graph.BaseUrl + "/",
            from = new { id = "1234567890", name = "Jordan Rivera" },
            recipient = new { id = "PAGE1", name = "Riverside PT" },
            conversation = new { id = "1234567890-PAGE1" },
            text = "how do you plan my sessions",
        };
        var response = await host.CreateClient().PostAsJsonAsync("/api/messages", activity);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var replies = graph.ChannelReplies.Select(r => r.Json!).ToList();
        Assert.StartsWith("Hi Jordan!", replies[0]["text"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("facebook", replies[0]["channelId"]!.GetValue<string>());
        Assert.NotNull(replies[0]["suggestedActions"]);

        var parts = replies.Skip(1).Select(r => r["text"]!.GetValue<string>()).ToList();
        Assert.True(parts.Count >= 2, $"expected several messages, got {parts.Count}");
        Assert.All(parts, p => Assert.True(p.Length <= 2000, $"a part has {p.Length} characters"));
        Assert.Equal(answer, string.Join("\n\n", parts));
    }

    [Fact]
    public async Task OtherAzureChannelsAreNotSplit()
    {
        await using var graph = await FakeGraphApi.StartAsync();
        var recognizer = new ScriptedRecognizer();
        await using var host = MessengerBot(graph, recognizer: recognizer);
        var answer = string.Join("\n\n", Enumerable.Range(1, 3).Select(i => $"Part {i}. " + string.Join(' ', Enumerable.Repeat("Our therapists plan every session with you.", 22))));
        recognizer.Answers("plan my sessions", answer);

        var response = await host.CreateClient().PostAsJsonAsync("/api/messages", new
        {
            type = "message",
            id = "wc-1",
            channelId = "webchat",
            serviceUrl = graph.BaseUrl + "/",
            from = new { id = "user-1", name = "Jordan Rivera" },
            recipient = new { id = "bot" },
            conversation = new { id = "wc-conv-1" },
            text = "how do you plan my sessions",
        });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(graph.ChannelReplies, r => r.Json!["text"]?.GetValue<string>() == answer);
    }

    /// <summary>The host with the Messenger channel on, a scripted recognizer (no model to load) and a clock at the real time.</summary>
    private static ClinicBotFactory MessengerBot(FakeGraphApi graph, IDictionary<string, string?>? settings = null, ScriptedRecognizer? recognizer = null) =>
        new(clock: new FakeTimeProvider(DateTimeOffset.UtcNow), settings: MessengerPage.Settings(graph, settings), configureServices: ClinicBotFactory.WithRecognizer(recognizer ?? new ScriptedRecognizer()));
}
