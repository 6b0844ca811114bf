using System.Net;
using System.Net.Http.Headers;
using System.Text;
using ClinicBot.Bot.BotFramework;
using ClinicBot.Dialogs.Knowledge;
using ClinicBot.Tests.Support;
using Microsoft.Bot.Connector.Authentication;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Newtonsoft.Json;

namespace ClinicBot.Tests.BotFramework;

public sealed class BotMessagesEndpointTests : IAsyncLifetime
{
    private ReplySink _sink = null!;

    public async Task InitializeAsync() => _sink = await ReplySink.StartAsync();

    public async Task DisposeAsync() => await _sink.DisposeAsync();

    [Fact]
    public async Task GreetsMariaThroughTheConnectorAndWelcomesHerBackAfterARestart()
    {
        var dataFolder = ClinicBotFactory.NewDataFolder();
        var first = new ClinicBotFactory(dataFolder);
        try
        {
            using (var client = first.CreateClient())
            {
                var update = Activity("conversationUpdate", "conv-maria-1", text: null);
                update["membersAdded"] = new[] { new { id = "u1", name = "Maria Lopez" }, new { id = "bot", name = "ClinicBot" } };
                Assert.Equal(HttpStatusCode.OK, (await PostAsync(client, update)).StatusCode);
                Assert.Equal(HttpStatusCode.OK, (await PostAsync(client, Activity("message", "conv-maria-1", "hello"))).StatusCode);
                await _sink.WaitForTextAsync("conv-maria-1", t => t.StartsWith("Hi Maria!", StringComparison.Ordinal));
            }

            await first.DisposeAsync();

            // Same data folder: the bot restarted.
            await using var second = new ClinicBotFactory(dataFolder);
            using var again = second.CreateClient();
            await PostAsync(again, Activity("message", "conv-maria-2", "hi again"));
            await _sink.WaitForTextAsync("conv-maria-2", t => t.StartsWith("Welcome back, Maria!", StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(dataFolder, recursive: true);
        }
    }

    [Theory]
    [InlineData("{not json", "malformed JSON")]
    [InlineData("[1,2,3]", "must be a JSON object")]
    [InlineData("{\"text\":\"hi\"}", "no 'type'")]
    [InlineData("{\"type\":\"message\",\"channelId\":\"test\",\"conversation\":{\"id\":\"c\"},\"from\":{\"id\":\"u\"}}", "serviceUrl")]
    [InlineData("{\"type\":\"message\",\"channelId\":\"test\",\"serviceUrl\":\"http://x\",\"from\":{\"id\":\"u\"}}", "conversation.id")]
    [InlineData("{\"type\":{\"a\":1},\"channelId\":\"test\"}", "not a valid Activity")]
    [InlineData("", "empty")]
    public async Task InvalidActivityGets400WithAReasonAndChangesNothing(string body, string reason)
    {
        await using var app = new ClinicBotFactory();
        using var client = app.CreateClient();
        using var response = await client.PostAsync("/api/messages", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(reason, System.Text.RegularExpressions.Regex.Unescape(await response.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Empty(_sink.Activities);
    }

    [Fact]
    public async Task BodyOver256KilobytesGets413()
    {
        await using var app = new ClinicBotFactory();
        using var client = app.CreateClient();
        var activity = Activity("message", "conv-big", new string('a', 300 * 1024));
        using var response = await PostAsync(client, activity);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Empty(_sink.Activities);
    }

    [Fact]
    public async Task MessageOver5000CharactersGetsAPoliteRequestForAShorterOne()
    {
        await using var app = new ClinicBotFactory();
        using var client = app.CreateClient();
        await PostAsync(client, Activity("message", "conv-long", string.Concat(Enumerable.Repeat("my knee hurts. ", 400))));
        await _sink.WaitForTextAsync("conv-long", t => t.Contains("shorter message", StringComparison.Ordinal));
    }

    [Fact]
    public async Task UnknownActivityTypesAreIgnoredWithoutError()
    {
        await using var app = new ClinicBotFactory();
        using var client = app.CreateClient();
        using var response = await PostAsync(client, Activity("somethingNew", "conv-unknown", null));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await Task.Delay(300);
        Assert.Empty(_sink.Texts("conv-unknown"));
    }

    [Fact]
    public async Task MessagesArrivingAtOnceInOneConversationAreAllHandledAndGreetOnce()
    {
        await using var app = new ClinicBotFactory();
        using var client = app.CreateClient();
        var sends = Enumerable.Range(0, 8).Select(i => PostAsync(client, Activity("message", "conv-burst", "thanks!", from: "Maria Lopez")));
        var responses = await Task.WhenAll(sends);
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));

        var texts = _sink.Texts("conv-burst");
        Assert.Single(texts, t => t.StartsWith("Hi Maria!", StringComparison.Ordinal));
        Assert.Equal(8, texts.Count(t => t.StartsWith("You're very welcome", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task RepliesReuseOneConnectorClientPerServiceUrl()
    {
        await using var app = new ClinicBotFactory();
        using var client = app.CreateClient();
        for (var i = 0; i < 3; i++)
        {
            await PostAsync(client, Activity("message", $"conv-cache-{i}", "thanks"));
        }

        await _sink.WaitForTextAsync("conv-cache-2", t => t.StartsWith("You're very welcome", StringComparison.Ordinal));
        var authentication = Assert.IsType<CachingBotFrameworkAuthentication>(app.Services.GetRequiredService<BotFrameworkAuthentication>());
        Assert.Equal(1, authentication.CachedClientCount);
    }

    [Fact]
    public async Task WithAnAppIdConfiguredRequestsWithoutAValidTokenGet401()
    {
        await using var app = new ClinicBotFactory(settings: new Dictionary<string, string?>
        {
            ["MicrosoftAppType"] = "SingleTenant",
            ["MicrosoftAppId"] = "00000000-0000-0000-0000-000000000001",
            ["MicrosoftAppPassword"] = "test-only-not-a-secret",
            ["MicrosoftAppTenantId"] = "00000000-0000-0000-0000-000000000002",
        });
        using var client = app.CreateClient();
        using var anonymous = await PostAsync(client, Activity("message", "conv-auth", "hi"));
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);

        using var forged = new HttpRequestMessage(HttpMethod.Post, "/api/messages")
        {
            Content = new StringContent(JsonConvert.SerializeObject(Activity("message", "conv-auth", "hi")), Encoding.UTF8, "application/json"),
        };
        forged.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "eyJhbGciOiJub25lIn0.eyJhdWQiOiJ4In0.");
        using var forgedResponse = await client.SendAsync(forged);
        Assert.Equal(HttpStatusCode.Unauthorized, forgedResponse.StatusCode);
        Assert.Empty(_sink.Activities);
    }

    [Fact]
    public async Task AFailingTurnApologisesClearsTheDialogAndLogsNoMessageText()
    {
        var logs = new CapturingLoggerProvider();
        var recognizer = new FailingOnceRecognizer();
        await using var app = new ClinicBotFactory(configureServices: services =>
        {
            services.RemoveAll<IQuestionRecognizer>();
            services.AddSingleton<IQuestionRecognizer>(recognizer);
            services.AddSingleton<ILoggerProvider>(logs);
        });
        using var client = app.CreateClient();
        await PostAsync(client, Activity("message", "conv-fail", "where is the secret parking garage for Maria"));
        await _sink.WaitForTextAsync("conv-fail", t => t.Contains("something went wrong on my side", StringComparison.Ordinal));
        Assert.Contains(logs.Lines, l => l.Contains("Turn failed", StringComparison.Ordinal) && l.Contains("conv-fail", StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Lines, l => l.Contains("secret parking garage", StringComparison.Ordinal));

        // The next message starts cleanly.
        await PostAsync(client, Activity("message", "conv-fail", "thanks"));
        await _sink.WaitForTextAsync("conv-fail", t => t.StartsWith("You're very welcome", StringComparison.Ordinal));
    }

    private Dictionary<string, object?> Activity(string type, string conversationId, string? text, string from = "Maria Lopez") => new()
    {
        ["type"] = type,
        ["id"] = Guid.NewGuid().ToString("N"),
        ["channelId"] = "emulator",
        ["serviceUrl"] = _sink.ServiceUrl,
        ["conversation"] = new { id = conversationId },
        ["from"] = new { id = "u1", name = from },
        ["recipient"] = new { id = "bot", name = "ClinicBot" },
        ["text"] = text,
        ["timestamp"] = DateTimeOffset.UtcNow,
    };

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, object activity) =>
        client.PostAsync("/api/messages", new StringContent(JsonConvert.SerializeObject(activity), Encoding.UTF8, "application/json"));

    private sealed class FailingOnceRecognizer : IQuestionRecognizer
    {
        private int _calls;

        public Task<RecognitionResult> RecognizeAsync(string text, CancellationToken cancellationToken) =>
            Interlocked.Increment(ref _calls) == 1
                ? throw new InvalidOperationException("Recognizer failed while reading: " + text)
                : Task.FromResult(RecognitionResult.None(0.7));
    }
}
