using System.Net;
using System.Net.Http.Json;
using ClinicBot.Bot.WebChat;
using ClinicBot.Tests.Support;
using Microsoft.Bot.Builder;
using Microsoft.Extensions.DependencyInjection;
using Newtonsoft.Json.Linq;

namespace ClinicBot.Tests.WebChat;

/// <summary>POST /api/webchat/token with the built-in Direct Line: visitors, portal-verified patients, forgeries.</summary>
public sealed class WebChatTokenTests : IDisposable
{
    private const string PortalKey = "portal-signing-key-for-tests-0123456789";
    private readonly ClinicBotFactory _factory = new(settings: new Dictionary<string, string?> { ["PatientPortal:SigningKey"] = PortalKey });

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task TheDemoPageAndTheSelfHostedWidgetAreServed()
    {
        using var http = _factory.CreateClient();

        using var page = await http.GetAsync("/");
        var html = await page.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("Riverside Physical Therapy", html, StringComparison.Ordinal);
        Assert.Contains("lib/webchat/webchat.js", html, StringComparison.Ordinal);
        Assert.DoesNotContain("cdn.botframework.com", html, StringComparison.Ordinal);
        Assert.Contains("script-src 'self'", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);

        using var widget = await http.GetAsync("/lib/webchat/webchat.js");
        Assert.Equal(HttpStatusCode.OK, widget.StatusCode);
        Assert.True((await widget.Content.ReadAsByteArrayAsync()).Length > 1_000_000);
    }

    [Fact]
    public async Task AVisitorGetsABuiltInTokenForTheirNamespacedIdAndTheDomain()
    {
        using var http = _factory.CreateClient();

        var session = await PostAsync(http, new { visitorId = "patient-42" });

        Assert.Equal("visitor:patient-42", (string?)session["userId"]);
        Assert.False((bool)session["verified"]!);
        Assert.EndsWith("/v3/directline", (string)session["domain"]!, StringComparison.Ordinal);

        // The token works against the built-in Direct Line.
        using var client = new DirectLineTestClient(_factory.CreateClient());
        using var start = await client.SendAsync(HttpMethod.Post, DirectLineTestClient.Base + "/conversations", (string)session["token"]!);
        Assert.Equal(HttpStatusCode.Created, start.StatusCode);
    }

    [Fact]
    public async Task APortalTokenMakesAVerifiedPatientWhoIsGreetedByTheVerifiedNameAndRemembered()
    {
        using var http = _factory.CreateClient();
        var portalToken = PatientPortalTokens.Create(PortalKey, "patient-42", "Maria Lopez", DateTimeOffset.UtcNow.AddMinutes(5));

        var session = await PostAsync(http, new { portalToken, visitorId = "ignored" });

        Assert.Equal("patient:patient-42", (string?)session["userId"]);
        Assert.True((bool)session["verified"]!);
        using var client = new DirectLineTestClient(_factory.CreateClient());
        var (id, token) = ((string)session["conversationId"]!, (string)session["token"]!);
        using (var start = await client.SendAsync(HttpMethod.Post, DirectLineTestClient.Base + "/conversations", token))
        {
            Assert.Equal(HttpStatusCode.Created, start.StatusCode);
        }

        // Greeted at once from the verified name, before any join event.
        var (activities, _) = await client.GetActivitiesAsync(id, token);
        Assert.StartsWith("Hi Maria", Assert.Single(DirectLineTestClient.BotTexts(activities)), StringComparison.Ordinal);

        var profile = await ReadProfileAsync("webchat/users/patient:patient-42");
        Assert.Equal("patient-42", (string?)profile?["VerifiedPatientId"]);
    }

    [Fact]
    public async Task ANameAndIdFromTheBrowserAloneNeverVerifyAPatient()
    {
        using var http = _factory.CreateClient();
        var session = await PostAsync(http, new { visitorId = "patient-42" });
        using var client = new DirectLineTestClient(_factory.CreateClient());
        var (id, token) = ((string)session["conversationId"]!, (string)session["token"]!);
        using (await client.SendAsync(HttpMethod.Post, DirectLineTestClient.Base + "/conversations", token))
        {
        }

        var join = DirectLineTestClient.JoinEvent("Maria Lopez");
        join["channelData"]!["verifiedPatientId"] = "patient-42";
        using (await client.PostActivityAsync(id, token, join))
        {
        }

        var (activities, _) = await client.GetActivitiesAsync(id, token);
        Assert.StartsWith("Hi Maria", DirectLineTestClient.BotTexts(activities)[0], StringComparison.Ordinal);
        var profile = await ReadProfileAsync("webchat/users/visitor:patient-42");
        Assert.NotNull(profile);
        Assert.Null((string?)profile["VerifiedPatientId"]);
    }

    [Theory]
    [InlineData("wrong-key-wrong-key-wrong-key-wrong-key", 5, "signature")]
    [InlineData(PortalKey, -5, "expired")]
    [InlineData(PortalKey, 120, "short-lived")]
    public async Task BadPortalTokensAre401(string key, int minutesToExpiry, string reason)
    {
        using var http = _factory.CreateClient();
        var portalToken = PatientPortalTokens.Create(key, "patient-42", "Maria Lopez", DateTimeOffset.UtcNow.AddMinutes(minutesToExpiry));

        using var response = await http.PostAsJsonAsync("/api/webchat/token", new { portalToken });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains(reason, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static async Task<JObject> PostAsync(HttpClient http, object body)
    {
        using var response = await http.PostAsJsonAsync("/api/webchat/token", body);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JObject.Parse(await response.Content.ReadAsStringAsync());
    }

    private async Task<JObject?> ReadProfileAsync(string key)
    {
        var storage = _factory.Services.GetRequiredService<IStorage>();
        var items = await storage.ReadAsync([key]);
        return items.TryGetValue(key, out var state) ? JObject.FromObject(state)["PatientProfile"] as JObject : null;
    }
}
