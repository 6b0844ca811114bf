using System.Net;
using System.Text;
using ClinicBot.Tests.Support;
using Newtonsoft.Json.Linq;
using Microsoft.Extensions.DependencyInjection;

namespace ClinicBot.Tests.DirectLine;

/// <summary>The built-in Direct Line 3.0 API through real HTTP against the real host and bot.</summary>
public sealed class DirectLineApiTests(DirectLineApiTests.Host host) : IClassFixture<DirectLineApiTests.Host>
{
    public sealed class Host : IDisposable
    {
        public ClinicBotFactory Factory { get; } = new(clock: null);

        public void Dispose() => Factory.Dispose();
    }

    private DirectLineTestClient Client() => host.Factory.DirectLine();

    [Fact]
    public async Task StartingAConversationReturns201WithIdTokenExpiryAndStreamUrl()
    {
        using var client = Client();
        var generated = await client.GenerateTokenAsync();
        var token = (string)generated["token"]!;

        using var response = await client.SendAsync(HttpMethod.Post, DirectLineTestClient.Base + "/conversations", token);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = JObject.Parse(await response.Content.ReadAsStringAsync());
        var conversationId = (string)body["conversationId"]!;
        Assert.Equal((string)generated["conversationId"]!, conversationId);
        Assert.False(string.IsNullOrEmpty((string?)body["token"]));
        Assert.InRange((int)body["expires_in"]!, 1700, 1800);
        var streamUrl = new Uri((string)body["streamUrl"]!);
        Assert.Equal("ws", streamUrl.Scheme);
        Assert.Equal($"/v3/directline/conversations/{conversationId}/stream", streamUrl.AbsolutePath);
        Assert.StartsWith("?t=", streamUrl.Query, StringComparison.Ordinal);

        // Starting the same conversation again is accepted without creating another one.
        using var again = await client.SendAsync(HttpMethod.Post, DirectLineTestClient.Base + "/conversations", token);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
    }

    [Fact]
    public async Task PostingAnActivityReturnsItsIdAndTheEchoKeepsIdAndClientActivityId()
    {
        using var client = Client();
        var conversation = await client.StartConversationAsync();
        var (id, token) = ((string)conversation["conversationId"]!, (string)conversation["token"]!);

        var activityId = await client.SayAsync(id, token, "hello", clientActivityId: "client-1");

        Assert.StartsWith(id + "|", activityId, StringComparison.Ordinal);
        var (activities, _) = await client.GetActivitiesAsync(id, token);
        var echo = Assert.Single(activities, a => (string?)a["id"] == activityId);
        Assert.Equal("client-1", (string?)echo["channelData"]?["clientActivityID"]);
        Assert.Equal("hello", (string?)echo["text"]);
        Assert.Equal("user", (string?)echo["from"]?["role"]);
        Assert.Equal("webchat", (string?)echo["channelId"]);
    }

    [Fact]
    public async Task TheBotGreetsByNameFromTheJoinEventAndAnswersWithIncreasingWatermarksAndTimestamps()
    {
        using var client = Client();
        var conversation = await client.StartConversationAsync();
        var (id, token) = ((string)conversation["conversationId"]!, (string)conversation["token"]!);

        // A visitor without a name is not greeted until the page's join event says who they are.
        var (beforeJoin, _) = await client.GetActivitiesAsync(id, token);
        Assert.Empty(beforeJoin);

        using (var join = await client.PostActivityAsync(id, token, DirectLineTestClient.JoinEvent("Maria Lopez")))
        {
            Assert.Equal(HttpStatusCode.OK, join.StatusCode);
        }

        var (afterJoin, watermark1) = await client.GetActivitiesAsync(id, token);
        Assert.StartsWith("Hi Maria", Assert.Single(DirectLineTestClient.BotTexts(afterJoin)), StringComparison.Ordinal);

        await client.SayAsync(id, token, "what are your saturday hours");
        var (all, watermark2) = await client.GetActivitiesAsync(id, token);

        Assert.True(long.Parse(watermark2) > long.Parse(watermark1));
        Assert.Contains(DirectLineTestClient.BotTexts(all), text => text.Contains("Saturdays 8:00 to 12:00", StringComparison.Ordinal));
        var timestamps = all.Select(a => (DateTimeOffset)a["timestamp"]!).ToList();
        Assert.True(timestamps.Zip(timestamps.Skip(1)).All(pair => pair.Second > pair.First), "timestamps must strictly increase");
        var ids = all.Select(a => (string)a["id"]!).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    [Fact]
    public async Task WatermarkPagingReturnsOnlyNewerActivities()
    {
        using var client = Client();
        var conversation = await client.StartConversationAsync();
        var (id, token) = ((string)conversation["conversationId"]!, (string)conversation["token"]!);
        await client.SayAsync(id, token, "hi there");
        var (first, watermark) = await client.GetActivitiesAsync(id, token);
        Assert.NotEmpty(first);

        var (nothingNew, sameWatermark) = await client.GetActivitiesAsync(id, token, watermark);
        Assert.Empty(nothingNew);
        Assert.Equal(watermark, sameWatermark);

        var secondId = await client.SayAsync(id, token, "what are your saturday hours");
        var (newer, newWatermark) = await client.GetActivitiesAsync(id, token, watermark);

        Assert.Equal(secondId, (string)newer[0]["id"]!);
        Assert.DoesNotContain(newer, a => first.Any(f => (string?)f["id"] == (string?)a["id"]));
        Assert.True(long.Parse(newWatermark) > long.Parse(watermark));
    }

    [Fact]
    public async Task ReconnectingReturnsAFreshStreamUrlWithTheWatermark()
    {
        using var client = Client();
        var conversation = await client.StartConversationAsync();
        var (id, token) = ((string)conversation["conversationId"]!, (string)conversation["token"]!);

        using var response = await client.SendAsync(HttpMethod.Get, $"{DirectLineTestClient.Base}/conversations/{id}?watermark=3", token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JObject.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(id, (string?)body["conversationId"]);
        Assert.EndsWith("&watermark=3", (string)body["streamUrl"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ATokenForAnotherConversationIsForbidden()
    {
        using var client = Client();
        var a = await client.StartConversationAsync();
        var b = await client.StartConversationAsync();

        using var post = await client.PostActivityAsync((string)b["conversationId"]!, (string)a["token"]!, DirectLineTestClient.Message("hi"));
        using var get = await client.SendAsync(HttpMethod.Get, $"{DirectLineTestClient.Base}/conversations/{b["conversationId"]}/activities", (string)a["token"]!);

        Assert.Equal(HttpStatusCode.Forbidden, post.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, get.StatusCode);
    }

    [Fact]
    public async Task ATamperedOrMissingTokenIsRefused()
    {
        using var client = Client();
        var conversation = await client.StartConversationAsync();
        var token = (string)conversation["token"]!;
        var tampered = token[..^2] + (token[^2] == 'A' ? "BB" : "AA");

        using var forged = await client.SendAsync(HttpMethod.Get, $"{DirectLineTestClient.Base}/conversations/{conversation["conversationId"]}/activities", tampered);
        using var missing = await client.SendAsync(HttpMethod.Post, DirectLineTestClient.Base + "/conversations", token: null);

        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
    }

    [Fact]
    public async Task AnUnknownConversationIsNotFound()
    {
        using var client = Client();

        // A valid token whose conversation was never started.
        var generated = await client.GenerateTokenAsync();
        var (id, token) = ((string)generated["conversationId"]!, (string)generated["token"]!);

        using var get = await client.SendAsync(HttpMethod.Get, $"{DirectLineTestClient.Base}/conversations/{id}/activities", token);
        using var post = await client.PostActivityAsync(id, token, DirectLineTestClient.Message("hi"));
        using var reconnect = await client.SendAsync(HttpMethod.Get, $"{DirectLineTestClient.Base}/conversations/{id}", token);

        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, post.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, reconnect.StatusCode);
    }

    [Fact]
    public async Task MalformedJsonIs400WithAReasonThatDoesNotEchoTheBody()
    {
        using var client = Client();
        var conversation = await client.StartConversationAsync();
        using var content = new StringContent("{\"type\":\"message\",\"text\":\"my secret knee\"", Encoding.UTF8, "application/json");

        using var response = await client.SendAsync(HttpMethod.Post, $"{DirectLineTestClient.Base}/conversations/{conversation["conversationId"]}/activities", (string)conversation["token"]!, content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("not valid JSON", body, StringComparison.Ordinal);
        Assert.DoesNotContain("knee", body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"text\":\"no type\"}", "no 'type'")]
    [InlineData("{\"type\":\"invoke\",\"name\":\"x\"}", "not accepted")]
    [InlineData("[1,2]", "JSON object")]
    [InlineData("{\"type\":\"message\",\"text\":{\"nested\":true}}", "wrong type")]
    public async Task ActivitiesThatAreNotUsableAre400(string json, string reason)
    {
        using var client = Client();
        var conversation = await client.StartConversationAsync();
        using var content = new StringContent(json, Encoding.UTF8, "application/json");

        using var response = await client.SendAsync(HttpMethod.Post, $"{DirectLineTestClient.Base}/conversations/{conversation["conversationId"]}/activities", (string)conversation["token"]!, content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(reason, System.Text.RegularExpressions.Regex.Unescape(await response.Content.ReadAsStringAsync()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task BodiesOver256KbAre413()
    {
        using var client = Client();
        var conversation = await client.StartConversationAsync();

        using var response = await client.PostActivityAsync((string)conversation["conversationId"]!, (string)conversation["token"]!, DirectLineTestClient.Message(new string('a', 300 * 1024)));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task ALongMessageUnderTheBodyLimitGetsThePoliteReplyFromTheBot()
    {
        using var client = Client();
        var conversation = await client.StartConversationAsync();
        var (id, token) = ((string)conversation["conversationId"]!, (string)conversation["token"]!);

        await client.SayAsync(id, token, new string('a', 6000));

        var (activities, _) = await client.GetActivitiesAsync(id, token);
        Assert.Contains(DirectLineTestClient.BotTexts(activities), text => text.Contains("5000", StringComparison.Ordinal) || text.Contains("5,000", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheUserIdComesFromTheTokenNotFromTheBrowser()
    {
        using var client = Client();
        var conversation = await client.StartConversationAsync();
        var (id, token) = ((string)conversation["conversationId"]!, (string)conversation["token"]!);

        await client.SayAsync(id, token, "hello");

        var (activities, _) = await client.GetActivitiesAsync(id, token);
        var echo = activities.First(a => (string?)a["from"]?["role"] == "user");
        Assert.StartsWith("visitor:", (string)echo["from"]!["id"]!, StringComparison.Ordinal);
    }
}

/// <summary>Proactive turns (follow-up answers, handoff events) on the built-in Direct Line.</summary>
public sealed class DirectLineProactiveTurnTests : IDisposable
{
    private readonly ClinicBotFactory _factory = new(clock: null);

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task AProactiveTurnThatAwaitsRealWorkKeepsItsTurnContextUntilItEnds()
    {
        using var client = _factory.DirectLine();
        var conversation = await client.StartConversationAsync();
        var (id, token) = ((string)conversation["conversationId"]!, (string)conversation["token"]!);
        var adapter = _factory.Services.GetRequiredService<ClinicBot.Bot.DirectLine.DirectLineAdapter>();
        var reference = new Microsoft.Bot.Schema.ConversationReference
        {
            ChannelId = "webchat",
            ServiceUrl = "https://directline.invalid",
            Conversation = new Microsoft.Bot.Schema.ConversationAccount(id: id),
            User = new Microsoft.Bot.Schema.ChannelAccount("patient-1"),
            Bot = new Microsoft.Bot.Schema.ChannelAccount("clinicbot"),
        };

        await adapter.ContinueConversationAsync(string.Empty, reference, async (turnContext, ct) =>
        {
            await Task.Delay(20, ct); // truly asynchronous, as a store round trip is
            turnContext.TurnState.Add("still-alive", new object());
            await turnContext.SendActivityAsync("Your follow-up has an answer.", cancellationToken: ct);
        }, CancellationToken.None);

        var (activities, _) = await client.GetActivitiesAsync(id, token);
        Assert.Contains(activities, a => (string?)a["text"] == "Your follow-up has an answer.");
    }
}
