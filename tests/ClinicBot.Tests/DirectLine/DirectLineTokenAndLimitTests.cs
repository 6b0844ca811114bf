using System.Net;
using ClinicBot.Tests.Support;
using Newtonsoft.Json.Linq;

namespace ClinicBot.Tests.DirectLine;

/// <summary>Token expiry, refresh and the per-conversation rate limit, on a controllable clock.</summary>
public sealed class DirectLineTokenAndLimitTests : IDisposable
{
    private readonly ClinicBotFactory _factory = new(clock: ClinicBotFactory.MondayMorning());

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task AnExpiredTokenIsForbiddenSoWebChatKnowsToGetANewOne()
    {
        using var client = _factory.DirectLine();
        var conversation = await client.StartConversationAsync();
        var (id, token) = ((string)conversation["conversationId"]!, (string)conversation["token"]!);

        _factory.Clock!.Advance(TimeSpan.FromMinutes(29));
        await client.SayAsync(id, token, "still here");

        _factory.Clock.Advance(TimeSpan.FromMinutes(2));
        using var post = await client.PostActivityAsync(id, token, DirectLineTestClient.Message("too late"));
        using var refresh = await client.SendAsync(HttpMethod.Post, DirectLineTestClient.Base + "/tokens/refresh", token);

        Assert.Equal(HttpStatusCode.Forbidden, post.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, refresh.StatusCode);
        Assert.Contains("TokenExpired", await post.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RefreshingGivesALaterExpiryAndTheOldTokenStaysValidUntilItsOwn()
    {
        using var client = _factory.DirectLine();
        var conversation = await client.StartConversationAsync();
        var (id, oldToken) = ((string)conversation["conversationId"]!, (string)conversation["token"]!);

        _factory.Clock!.Advance(TimeSpan.FromMinutes(15));
        using var refresh = await client.SendAsync(HttpMethod.Post, DirectLineTestClient.Base + "/tokens/refresh", oldToken);
        Assert.Equal(HttpStatusCode.OK, refresh.StatusCode);
        var refreshed = JObject.Parse(await refresh.Content.ReadAsStringAsync());
        var newToken = (string)refreshed["token"]!;
        Assert.Equal(id, (string?)refreshed["conversationId"]);
        Assert.Equal(1800, (int)refreshed["expires_in"]!);
        Assert.NotEqual(oldToken, newToken);

        // Both work in the refresh window; after the old one's expiry only the new one does.
        await client.SayAsync(id, oldToken, "old token");
        await client.SayAsync(id, newToken, "new token");
        _factory.Clock.Advance(TimeSpan.FromMinutes(20));
        using var withOld = await client.PostActivityAsync(id, oldToken, DirectLineTestClient.Message("old again"));
        Assert.Equal(HttpStatusCode.Forbidden, withOld.StatusCode);
        await client.SayAsync(id, newToken, "new again");
    }

    [Fact]
    public async Task TooManyActivitiesIn10SecondsGet429WithRetryAfter()
    {
        using var client = _factory.DirectLine();
        var conversation = await client.StartConversationAsync();
        var (id, token) = ((string)conversation["conversationId"]!, (string)conversation["token"]!);

        for (var i = 0; i < 20; i++)
        {
            await client.SayAsync(id, token, "hi " + i);
            _factory.Clock!.Advance(TimeSpan.FromMilliseconds(100));
        }

        using var limited = await client.PostActivityAsync(id, token, DirectLineTestClient.Message("one too many"));
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        var retryAfter = limited.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value.TotalSeconds, 1, 10);

        // Other conversations are not affected, and the limit lifts once the window has passed.
        var other = await client.StartConversationAsync();
        await client.SayAsync((string)other["conversationId"]!, (string)other["token"]!, "hello");
        _factory.Clock!.Advance(retryAfter.Value);
        await client.SayAsync(id, token, "after waiting");
    }
}
