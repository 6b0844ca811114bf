using System.Diagnostics;
using ClinicBot.Tests.Support;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace ClinicBot.Tests.Staff;

/// <summary>
/// The console in headless Chromium against the real host on Kestrel, the patient side driven through /api/messages:
/// sign in, see the chat with its context, accept, read the patient live (a &lt;script&gt; shows as text), reply, end.
/// Screenshots go to artifacts/playwright next to the test assembly when it fails.
/// </summary>
#pragma warning disable CA1001 // xunit disposes the factory through IAsyncLifetime.DisposeAsync
public sealed class StaffConsoleBrowserTests(ITestOutputHelper output) : IAsyncLifetime
#pragma warning restore CA1001
{
    private readonly ClinicBotFactory _factory = new(clock: ClinicBotFactory.MondayMorning());
    private readonly string _userData = Path.Combine(Path.GetTempPath(), "clinicbot-chromium", Guid.NewGuid().ToString("N"));
    private ReplySink _sink = null!;
    private string _baseUrl = string.Empty;

    public async Task InitializeAsync()
    {
        _sink = await ReplySink.StartAsync();
        _factory.UseKestrel(0);
        _factory.StartServer();
        _baseUrl = _factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
    }

    public async Task DisposeAsync()
    {
        await _sink.DisposeAsync();
        await _factory.DisposeAsync();
        try
        {
            Directory.Delete(_userData, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public async Task AgentSignsInSeesTheChatWithContextAcceptsRepliesAndEnds()
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await HeadlessChromium.LaunchAsync(playwright, _userData);
        var page = browser.Pages.Count > 0 ? browser.Pages[0] : await browser.NewPageAsync();
        var consoleErrors = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                consoleErrors.Add(message.Text);
            }
        };

        try
        {
            using var patient = new HttpClient { BaseAddress = new Uri(_baseUrl) };

            // Sign in (the form post carries its anti-forgery token) and wait for the live connection.
            await page.GotoAsync(_baseUrl + "/staff");
            Assert.Contains("/staff/sign-in", page.Url, StringComparison.Ordinal);
            await page.FillAsync("#userName", "maria");
            await page.FillAsync("#password", ClinicBotFactory.AgentPassword);
            await page.ClickAsync("#sign-in");
            await Assertions.Expect(page.Locator("#connection")).ToHaveTextAsync("online");
            await Assertions.Expect(page.Locator("#me-name")).ToHaveTextAsync("Maria Lopez");

            // The patient asks for a person; the connected agent counts as online, so the chat is queued and appears live.
            await _factory.PostActivityAsync(patient, _sink, "conv-browser", "can I talk to a real person about my bill");
            await _sink.WaitForMessageAsync("conv-browser", t => t.Contains("in line", StringComparison.Ordinal));
            var item = page.Locator(".open-chat").First;
            await Assertions.Expect(item).ToContainTextAsync("Dana");
            await Assertions.Expect(page.Locator("#waiting-badge")).ToHaveTextAsync("1");
            await item.ClickAsync();
            await Assertions.Expect(page.Locator("#context-fields")).ToContainTextAsync("patient-1");
            await Assertions.Expect(page.Locator("#context-fields")).ToContainTextAsync("emulator");
            await Assertions.Expect(page.Locator("#transcript")).ToContainTextAsync("can I talk to a real person about my bill");

            await page.ClickAsync("#accept");
            await _sink.WaitForMessageAsync("conv-browser", t => t.StartsWith("Maria, our", StringComparison.Ordinal));

            // A patient message arrives live and renders as text, never as markup.
            var relay = Stopwatch.StartNew();
            await _factory.PostActivityAsync(patient, _sink, "conv-browser", "<script>window.__xss = 1</script><b>hi</b>");
            await Assertions.Expect(page.Locator("#messages")).ToContainTextAsync("<script>window.__xss = 1</script><b>hi</b>", new() { Timeout = 30_000 });
            output.WriteLine($"Patient message shown in the console {relay.ElapsedMilliseconds} ms after POST /api/messages started");
            Assert.Equal(0, await page.Locator("#messages b").CountAsync());
            Assert.True(await page.EvaluateAsync<bool>("() => window.__xss === undefined"));

            var artifacts = Path.Combine(AppContext.BaseDirectory, "artifacts", "playwright");
            Directory.CreateDirectory(artifacts);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(artifacts, "staff-console-chat.png"), FullPage = true });

            // The agent replies; the patient's channel receives it.
            await page.FillAsync("#message-input", "Hi Dana, I'm looking at your bill now.");
            var reply = Stopwatch.StartNew();
            await page.ClickAsync("#send");
            await _sink.WaitForMessageAsync("conv-browser", t => t == "Hi Dana, I'm looking at your bill now.");
            output.WriteLine($"Agent reply reached the patient's channel {reply.ElapsedMilliseconds} ms after clicking Send");

            await page.SelectOptionAsync("#end-outcome", "resolved");
            await page.ClickAsync("#end");
            await _sink.WaitForMessageAsync("conv-browser", t => t.Contains("back with the automated assistant", StringComparison.Ordinal));
            await Assertions.Expect(page.Locator("#chat-title")).ToContainTextAsync("Ended");
            Assert.DoesNotContain(consoleErrors, e => e.Contains("Content Security Policy", StringComparison.Ordinal));
        }
        catch
        {
            var folder = Path.Combine(AppContext.BaseDirectory, "artifacts", "playwright");
            Directory.CreateDirectory(folder);
            var file = Path.Combine(folder, $"staff-console-{DateTime.UtcNow:yyyyMMddHHmmss}.png");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = file, FullPage = true });
            output.WriteLine("Screenshot: " + file);
            output.WriteLine("Browser console errors: " + string.Join(" | ", consoleErrors));
            throw;
        }
    }

    [Fact]
    public async Task ARedFlagRaisedWhileNobodyWasOnlineWaitsAtTheTopAndTheEmailLinkOpensIt()
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await HeadlessChromium.LaunchAsync(playwright, _userData);
        var page = browser.Pages.Count > 0 ? browser.Pages[0] : await browser.NewPageAsync();
        try
        {
            using var patient = new HttpClient { BaseAddress = new Uri(_baseUrl) };
            await _factory.PostActivityAsync(patient, _sink, "conv-red-flag", "my husband hit me again and i'm scared to go home");
            await _sink.WaitForMessageAsync("conv-red-flag", t => t.Contains("aren't online right now", StringComparison.Ordinal));
            var alert = Assert.Single(await _factory.Services.GetRequiredService<ClinicBot.Dialogs.Handoff.IHandoffQueue>().ListByConversationAsync("conv-red-flag", default));

            // Signing in from the on-call email's link: the alert is at the top, flagged, and its chat opens.
            await page.GotoAsync(_baseUrl + "/staff");
            await page.FillAsync("#userName", "maria");
            await page.FillAsync("#password", ClinicBotFactory.AgentPassword);
            await page.ClickAsync("#sign-in");
            await page.GotoAsync(_baseUrl + "/staff#handoff=" + alert.Id);
            var banner = page.Locator(".urgent-alerts");
            await Assertions.Expect(banner).ToBeVisibleAsync();
            await Assertions.Expect(banner.Locator(".badge.urgent")).ToHaveTextAsync("Red flag: Violence");
            Assert.Equal(0, await page.EvaluateAsync<int>("() => [...document.querySelectorAll('#queue > section')].indexOf(document.querySelector('.urgent-alerts'))"));
            await Assertions.Expect(page.Locator("#chat-title")).ToContainTextAsync("Waiting");
            await Assertions.Expect(page.Locator("#messages")).ToContainTextAsync("RED FLAG (violence or danger)");
            Assert.StartsWith("\u26A0 URGENT", await page.TitleAsync(), StringComparison.Ordinal);

            await page.ClickAsync("#accept");
            await _sink.WaitForMessageAsync("conv-red-flag", t => t.StartsWith("Maria", StringComparison.Ordinal));
            await Assertions.Expect(page.Locator(".urgent-alerts")).ToHaveCountAsync(0);
        }
        catch
        {
            var folder = Path.Combine(AppContext.BaseDirectory, "artifacts", "playwright");
            Directory.CreateDirectory(folder);
            var file = Path.Combine(folder, $"staff-console-red-flag-{DateTime.UtcNow:yyyyMMddHHmmss}.png");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = file, FullPage = true });
            output.WriteLine("Screenshot: " + file);
            throw;
        }
    }

    [Fact]
    public async Task PatientInTheWebChatWidgetAsksForAPersonAndTheAgentTakesItFromTheConsole()
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await HeadlessChromium.LaunchAsync(playwright, _userData);
        var agent = browser.Pages.Count > 0 ? browser.Pages[0] : await browser.NewPageAsync();
        var patient = await browser.NewPageAsync();
        try
        {
            await agent.GotoAsync(_baseUrl + "/staff");
            await agent.FillAsync("#userName", "maria");
            await agent.FillAsync("#password", ClinicBotFactory.AgentPassword);
            await agent.ClickAsync("#sign-in");
            await Assertions.Expect(agent.Locator("#connection")).ToHaveTextAsync("online");

            // The patient opens the clinic's page; the portal passes her name.
            await patient.GotoAsync(_baseUrl + "/?name=Dana%20Smith&id=dana-7");
            var chat = patient.Locator("#webchat");
            await Assertions.Expect(chat).ToContainTextAsync("Hi Dana!", new() { Timeout = 30_000 });
            var input = patient.Locator("#webchat input[type=text], #webchat textarea").First;
            await input.FillAsync("can I talk to a real person");
            await input.PressAsync("Enter");
            await Assertions.Expect(chat).ToContainTextAsync("front desk coordinator", new() { Timeout = 30_000 });
            await Assertions.Expect(chat).ToContainTextAsync("in line");

            // The agent sees the chat with its context and accepts.
            var item = agent.Locator(".open-chat").First;
            await Assertions.Expect(item).ToContainTextAsync("Dana");
            await item.ClickAsync();
            await Assertions.Expect(agent.Locator("#transcript")).ToContainTextAsync("can I talk to a real person");
            await agent.ClickAsync("#accept");
            await Assertions.Expect(chat).ToContainTextAsync("has joined the chat", new() { Timeout = 30_000 });

            // Both ways, live.
            await agent.FillAsync("#message-input", "Hello Dana, this is Maria at the front desk.");
            await agent.ClickAsync("#send");
            await Assertions.Expect(chat).ToContainTextAsync("Hello Dana, this is Maria at the front desk.", new() { Timeout = 30_000 });
            await input.FillAsync("thanks Maria, can I move my visit?");
            await input.PressAsync("Enter");
            await Assertions.Expect(agent.Locator("#messages")).ToContainTextAsync("thanks Maria, can I move my visit?");

            // The agent ends; the patient is back with the bot, which answers again.
            await agent.SelectOptionAsync("#end-outcome", "resolved");
            await agent.ClickAsync("#end");
            await Assertions.Expect(chat).ToContainTextAsync("back with the automated assistant", new() { Timeout = 30_000 });
            await input.FillAsync("thanks!");
            await input.PressAsync("Enter");
            await Assertions.Expect(chat).ToContainTextAsync("very welcome, Dana", new() { Timeout = 30_000 });
        }
        catch
        {
            var folder = Path.Combine(AppContext.BaseDirectory, "artifacts", "playwright");
            Directory.CreateDirectory(folder);
            var stamp = DateTime.UtcNow.ToString("yyyyMMddHHmmss", System.Globalization.CultureInfo.InvariantCulture);
            await agent.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, $"handoff-agent-{stamp}.png"), FullPage = true });
            await patient.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, $"handoff-patient-{stamp}.png"), FullPage = true });
            output.WriteLine("Screenshots in " + folder);
            foreach (var line in _factory.Logs.Lines.Where(l => l.Contains("Warn", StringComparison.Ordinal) || l.Contains("Error", StringComparison.Ordinal) || l.Contains("Fail", StringComparison.Ordinal)))
            {
                output.WriteLine(line);
            }

            throw;
        }
    }
}
