using System.Net;
using System.Net.Http.Json;
using ClinicBot.Tests.Reliability;
using ClinicBot.Tests.Support;
using Microsoft.Extensions.Options;

namespace ClinicBot.Tests.RateLimiting;

/// <summary>The public endpoints' limits (section RateLimits): 429 with Retry-After past them.</summary>
public sealed class RateLimitTests
{
    [Fact]
    public async Task TokenEndpointsShareAPerClientLimitAndAnswer429WithRetryAfter()
    {
        using var factory = new ClinicBotFactory(settings: new Dictionary<string, string?> { ["RateLimits:TokenRequestsPerWindow"] = "3" });
        using var client = factory.CreateClient();

        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync("/api/webchat/token", new { visitorId = "v1" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/v3/directline/tokens/generate", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync("/api/webchat/token", new { visitorId = "v1" })).StatusCode);

        using var limited = await client.PostAsJsonAsync("/api/webchat/token", new { visitorId = "v1" });
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.InRange(int.Parse(limited.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture), 1, 60);
        Assert.Contains("retry after", await limited.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await client.PostAsync("/v3/directline/tokens/generate", null)).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await client.PostAsync("/v3/directline/conversations", null)).StatusCode);
    }

    [Fact]
    public async Task ApiMessagesIsLimitedPerConversation()
    {
        await using var sink = await ReplySink.StartAsync();
        using var factory = new ClinicBotFactory(settings: new Dictionary<string, string?> { ["RateLimits:MessagesPerWindowPerConversation"] = "2" });
        using var client = factory.CreateClient();

        Assert.Equal(HttpStatusCode.OK, (await factory.PostActivityAsync(client, sink, "conv-a", "hi")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await factory.PostActivityAsync(client, sink, "conv-a", "what are your hours?")).StatusCode);
        var before = sink.Texts("conv-a").Count;
        using var limited = await factory.PostActivityAsync(client, sink, "conv-a", "and parking?");
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.True(limited.Headers.Contains("Retry-After"));
        Assert.Equal(before, sink.Texts("conv-a").Count);

        Assert.Equal(HttpStatusCode.OK, (await factory.PostActivityAsync(client, sink, "conv-b", "hi")).StatusCode);
    }

    [Fact]
    public async Task ApiMessagesIsLimitedPerClientAddressOnlyInUnauthenticatedMode()
    {
        await using var sink = await ReplySink.StartAsync();
        using (var open = new ClinicBotFactory(settings: new Dictionary<string, string?> { ["RateLimits:MessagesPerWindowPerClient"] = "3" }))
        {
            using var client = open.CreateClient();
            for (var i = 0; i < 3; i++)
            {
                Assert.Equal(HttpStatusCode.OK, (await open.PostActivityAsync(client, sink, "conv-" + i, "hi")).StatusCode);
            }

            var limited = await open.PostActivityAsync(client, sink, "conv-9", "hi");
            Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
            Assert.True(limited.Headers.Contains("Retry-After"));
        }

        // With an app id, calls come from Azure Bot Service's addresses: no per-address limit (these fail auth instead).
        using var azure = new ClinicBotFactory(settings: new Dictionary<string, string?>
        {
            ["RateLimits:MessagesPerWindowPerClient"] = "1",
            ["MicrosoftAppType"] = "MultiTenant",
            ["MicrosoftAppId"] = "00000000-0000-0000-0000-000000000001",
            ["MicrosoftAppPassword"] = "not-a-real-secret",
        });
        using var azureClient = azure.CreateClient();
        for (var i = 0; i < 3; i++)
        {
            var response = await ExactlyOnceTests.PostAsync(azureClient, ExactlyOnceTests.Activity(sink, "conv-z" + i, "a" + i, "hi"));
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }
    }

    [Theory]
    [InlineData("RateLimits:WindowSeconds", "0")]
    [InlineData("RateLimits:TokenRequestsPerWindow", "-1")]
    public void InvalidLimitsStopTheBotAtStart(string key, string value)
    {
        using var factory = new ClinicBotFactory(settings: new Dictionary<string, string?> { [key] = value });
        var error = Assert.Throws<OptionsValidationException>(() => factory.CreateClient());
        Assert.Contains(key.Split(':')[1], error.Message, StringComparison.Ordinal);
    }
}
