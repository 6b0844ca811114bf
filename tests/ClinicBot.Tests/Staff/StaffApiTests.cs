using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using ClinicBot.Dialogs.Handoff;
using ClinicBot.Tests.Handoff;
using ClinicBot.Tests.Support;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace ClinicBot.Tests.Staff;

/// <summary>The staff API's contract: who may call what, and the status codes for bad input, unknown ids and lost races.</summary>
#pragma warning disable CA1001 // xunit disposes the factory through IAsyncLifetime.DisposeAsync
public sealed partial class StaffApiTests : IAsyncLifetime
#pragma warning restore CA1001
{
    private readonly ClinicBotFactory _factory = new(clock: ClinicBotFactory.MondayMorning());

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _factory.DisposeAsync();

    [Theory]
    [InlineData("GET", "/api/staff/queue")]
    [InlineData("GET", "/api/staff/handoffs/H-1")]
    [InlineData("POST", "/api/staff/handoffs/H-1/accept")]
    [InlineData("GET", "/api/staff/follow-ups")]
    [InlineData("POST", "/api/staff/follow-ups/F-1/answer")]
    [InlineData("GET", "/api/staff/audit")]
    [InlineData("POST", "/staff/hub/negotiate?negotiateVersion=1")]
    public async Task AnonymousCallersGet401NotARedirect(string method, string path)
    {
        var client = _factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task TheConsolePageRedirectsAnonymousVisitorsToSignIn()
    {
        var client = _factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var response = await client.GetAsync("/staff");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/staff/sign-in", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AgentsGet403ForSupervisorAndUserManagementEndpoints()
    {
        var agent = await _factory.SignedInClientAsync("maria", ClinicBotFactory.AgentPassword);
        var supervisor = await _factory.SignedInClientAsync("sam", ClinicBotFactory.SupervisorPassword);

        Assert.Equal(HttpStatusCode.Forbidden, (await agent.GetAsync("/api/staff/audit")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await agent.GetAsync("/api/staff/users")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await agent.PostAsJsonAsync("/api/staff/users", new { userName = "eve", role = "admin", password = "long-enough-password" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await agent.GetAsync("/api/staff/queue?department=orthopedics")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await supervisor.GetAsync("/api/staff/audit")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await supervisor.PostAsJsonAsync("/api/staff/users", new { userName = "olivia", displayName = "Olivia Ortho", role = "agent", departments = new[] { "orthopedics" }, password = "long-enough-password" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _factory.CreateClient().PostAsJsonAsync("/api/staff/sign-in", new { userName = "olivia", password = "long-enough-password" })).StatusCode);
    }

    [Fact]
    public async Task BadInputIs400WithAReasonAndUnknownIdsAre404()
    {
        var agent = await _factory.SignedInClientAsync("maria", ClinicBotFactory.AgentPassword);
        var id = await EnqueueAsync("H-bad");
        (await agent.PostAsync($"/api/staff/handoffs/{id}/accept", null)).EnsureSuccessStatusCode();

        var empty = await agent.PostAsJsonAsync($"/api/staff/handoffs/{id}/send", new { text = "  " });
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Contains("empty", (await empty.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        var tooLong = await agent.PostAsJsonAsync($"/api/staff/handoffs/{id}/send", new { text = new string('a', 4001) });
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await agent.PostAsJsonAsync($"/api/staff/handoffs/{id}/end", new { outcome = "" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await agent.GetAsync("/api/staff/follow-ups?status=bogus")).StatusCode);

        Assert.Equal(HttpStatusCode.NotFound, (await agent.GetAsync("/api/staff/handoffs/H-missing")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await agent.PostAsync("/api/staff/handoffs/H-missing/accept", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await agent.PostAsJsonAsync("/api/staff/follow-ups/F-missing/answer", new { answer = "hi" })).StatusCode);
    }

    [Fact]
    public async Task PostsWithoutTheAntiforgeryTokenAreRejected()
    {
        var agent = await _factory.SignedInClientAsync("maria", ClinicBotFactory.AgentPassword);
        var id = await EnqueueAsync("H-csrf");
        agent.DefaultRequestHeaders.Remove("X-CSRF-TOKEN");
        var response = await agent.PostAsync($"/api/staff/handoffs/{id}/accept", null);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(HandoffStatus.Waiting, (await _factory.Services.GetRequiredService<IHandoffQueue>().GetAsync(id, default))!.Status);
    }

    [Fact]
    public async Task TwoStaffAcceptingTheSameChatGetOneSuccessAndOneConflict()
    {
        var maria = await _factory.SignedInClientAsync("maria", ClinicBotFactory.AgentPassword);
        var sam = await _factory.SignedInClientAsync("sam", ClinicBotFactory.SupervisorPassword);
        var id = await EnqueueAsync("H-race");

        var responses = await Task.WhenAll(maria.PostAsync($"/api/staff/handoffs/{id}/accept", null), sam.PostAsync($"/api/staff/handoffs/{id}/accept", null));

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Conflict], responses.Select(r => r.StatusCode).Order());
        Assert.Equal(HttpStatusCode.Conflict, (await maria.PostAsync($"/api/staff/handoffs/{id}/accept", null)).StatusCode);
    }

    [Fact]
    public async Task OnlyTheStaffMemberWhoHasTheChatMayReply()
    {
        var maria = await _factory.SignedInClientAsync("maria", ClinicBotFactory.AgentPassword);
        var sam = await _factory.SignedInClientAsync("sam", ClinicBotFactory.SupervisorPassword);
        var id = await EnqueueAsync("H-owner");
        Assert.Equal(HttpStatusCode.Conflict, (await maria.PostAsJsonAsync($"/api/staff/handoffs/{id}/send", new { text = "hello" })).StatusCode);
        (await sam.PostAsync($"/api/staff/handoffs/{id}/accept", null)).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.Forbidden, (await maria.PostAsJsonAsync($"/api/staff/handoffs/{id}/send", new { text = "hello" })).StatusCode);
    }

    [Fact]
    public async Task OpeningAChatIsAuditedForSupervisors()
    {
        var maria = await _factory.SignedInClientAsync("maria", ClinicBotFactory.AgentPassword);
        var sam = await _factory.SignedInClientAsync("sam", ClinicBotFactory.SupervisorPassword);
        var id = await EnqueueAsync("H-audit");
        (await maria.GetAsync($"/api/staff/handoffs/{id}")).EnsureSuccessStatusCode();
        (await maria.PostAsync($"/api/staff/handoffs/{id}/accept", null)).EnsureSuccessStatusCode();

        var audit = await sam.GetFromJsonAsync<JsonElement>($"/api/staff/audit?handoffId={id}");
        Assert.Equal(["accepted", "opened"], audit.EnumerateArray().Select(a => a.GetProperty("action").GetString()));
        Assert.All(audit.EnumerateArray(), a => Assert.Equal("Maria Lopez", a.GetProperty("staffName").GetString()));
    }

    [Fact]
    public async Task FiveFailedSignInsLockTheAccountForFifteenMinutes()
    {
        var client = _factory.CreateClient();
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsJsonAsync("/api/staff/sign-in", new { userName = "maria", password = "wrong" })).StatusCode);
        }

        var locked = await client.PostAsJsonAsync("/api/staff/sign-in", new { userName = "maria", password = ClinicBotFactory.AgentPassword });
        Assert.Equal(HttpStatusCode.Unauthorized, locked.StatusCode);
        Assert.Contains("locked", await locked.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        _factory.Clock!.Advance(TimeSpan.FromMinutes(14));
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsJsonAsync("/api/staff/sign-in", new { userName = "maria", password = ClinicBotFactory.AgentPassword })).StatusCode);
        _factory.Clock!.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync("/api/staff/sign-in", new { userName = "maria", password = ClinicBotFactory.AgentPassword })).StatusCode);
    }

    [Fact]
    public async Task TheSignInFormNeedsItsAntiforgeryTokenAndSetsTheSessionCookie()
    {
        var client = _factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var page = await client.GetAsync("/staff/sign-in");
        var html = await page.Content.ReadAsStringAsync();
        var token = TokenField().Match(html).Groups[1].Value;
        Assert.NotEmpty(token);

        using var withoutToken = new FormUrlEncodedContent(new Dictionary<string, string> { ["userName"] = "maria", ["password"] = ClinicBotFactory.AgentPassword });
        var rejected = await client.PostAsync("/staff/sign-in", withoutToken);
        Assert.Contains("error=expired", rejected.Headers.Location!.ToString(), StringComparison.Ordinal);

        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token, ["userName"] = "maria", ["password"] = ClinicBotFactory.AgentPassword, ["returnUrl"] = "https://evil.example/" });
        var signedIn = await client.PostAsync("/staff/sign-in", form);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal("/staff", signedIn.Headers.Location!.ToString());
        var console = await client.GetAsync("/staff");
        Assert.Equal(HttpStatusCode.OK, console.StatusCode);
        Assert.Contains("console.js", await console.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/staff/sign-in")]
    [InlineData("/staff/console.js")]
    [InlineData("/api/staff/queue")]
    public async Task StaffPagesSendSecurityHeaders(string path)
    {
        var response = await _factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false }).GetAsync(path);
        var csp = string.Join(' ', response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
    }

    [Fact]
    public async Task TheConsoleScriptNeverUsesInnerHtml()
    {
        var script = await _factory.CreateClient().GetStringAsync("/staff/console.js");
        Assert.DoesNotContain("innerHTML", script.Replace("(never innerHTML)", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.DoesNotContain("insertAdjacentHTML", script, StringComparison.Ordinal);
        Assert.Contains("textContent", script, StringComparison.Ordinal);
    }

    private async Task<string> EnqueueAsync(string id)
    {
        await _factory.Services.GetRequiredService<IHandoffQueue>().EnqueueAsync(HandoffQueueContractTests.Request(id), default);
        return id;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();
}
