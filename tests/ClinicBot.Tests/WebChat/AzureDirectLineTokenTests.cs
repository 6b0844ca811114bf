using System.Net;
using System.Net.Http.Json;
using ClinicBot.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Newtonsoft.Json.Linq;

namespace ClinicBot.Tests.WebChat;

/// <summary>
/// With WebChat:DirectLineSecret configured the server exchanges the secret for a token at Azure Direct Line
/// (here a fake Direct Line on a loopback port): the page gets a token, never the secret.
/// </summary>
public sealed class AzureDirectLineTokenTests : IAsyncLifetime
{
    private const string Secret = "azure-direct-line-secret-for-tests";
    private readonly List<(string? Authorization, string Body)> _requests = [];
    private WebApplication? _fakeAzure;
    private string _fakeBaseUrl = string.Empty;
    private HttpStatusCode _fakeStatus = HttpStatusCode.OK;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _fakeAzure = builder.Build();
        _fakeAzure.MapPost("/v3/directline/tokens/generate", async (HttpContext http) =>
        {
            using var reader = new StreamReader(http.Request.Body);
            _requests.Add((http.Request.Headers.Authorization.ToString(), await reader.ReadToEndAsync()));
            return _fakeStatus == HttpStatusCode.OK
                ? Results.Json(new Dictionary<string, object> { ["conversationId"] = "azure-conv-1", ["token"] = "azure-token-1", ["expires_in"] = 3600 })
                : Results.StatusCode((int)_fakeStatus);
        });
        await _fakeAzure.StartAsync();
        var address = _fakeAzure.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _fakeBaseUrl = address + "/v3/directline";
    }

    public async Task DisposeAsync()
    {
        if (_fakeAzure is not null)
        {
            await _fakeAzure.DisposeAsync();
        }
    }

    [Fact]
    public async Task TheSecretIsExchangedServerSideAndNeverReachesTheBrowser()
    {
        using var factory = Factory();
        using var http = factory.CreateClient();

        using var response = await http.PostAsJsonAsync("/api/webchat/token", new { visitorId = "v-123" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain(Secret, text, StringComparison.Ordinal);
        var session = JObject.Parse(text);
        Assert.Equal("azure-token-1", (string?)session["token"]);
        Assert.Equal("azure-conv-1", (string?)session["conversationId"]);
        Assert.Equal(_fakeBaseUrl, (string?)session["domain"]);
        Assert.Equal("dl_visitor_v-123", (string?)session["userId"]);

        var (authorization, body) = Assert.Single(_requests);
        Assert.Equal("Bearer " + Secret, authorization);
        Assert.Equal("dl_visitor_v-123", (string?)JObject.Parse(body)["user"]?["id"]);

        using var page = await http.GetAsync("/");
        Assert.DoesNotContain(Secret, await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnAzureFailureIs502WithoutDetailsFromAzure()
    {
        _fakeStatus = HttpStatusCode.Forbidden;
        using var factory = Factory();
        using var http = factory.CreateClient();

        using var response = await http.PostAsJsonAsync("/api/webchat/token", new { visitorId = "v-123" });

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.DoesNotContain(Secret, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private ClinicBotFactory Factory() => new(settings: new Dictionary<string, string?>
    {
        ["WebChat:DirectLineSecret"] = Secret,
        ["WebChat:DirectLineBaseUrl"] = _fakeBaseUrl,
    });
}
