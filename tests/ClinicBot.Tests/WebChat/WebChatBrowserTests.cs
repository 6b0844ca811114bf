using System.Diagnostics;
using System.Net;
using ClinicBot.Tests.Support;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace ClinicBot.Tests.WebChat;

/// <summary>
/// The real widget in a real browser: headless Debian Chromium (driven by Playwright, no browser download)
/// opens the demo page on the bot's Kestrel port, is greeted by name and gets an answer from the knowledge base.
/// CI installs Chromium (apt-get install -y chromium); without it this test fails and says so.
/// </summary>
public sealed class WebChatBrowserTests(ITestOutputHelper output) : IDisposable
{
    private readonly ClinicBotFactory _factory = new();
    private readonly string _profile = Path.Combine(Path.GetTempPath(), "clinicbot-chromium-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        _factory.Dispose();
        try
        {
            Directory.Delete(_profile, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public async Task APortalPatientIsGreetedByNameAndGetsAnAnswerFromTheKnowledgeBase()
    {
        var started = Stopwatch.StartNew();

        _factory.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        _factory.StartServer();
        var address = _factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await HeadlessChromium.LaunchAsync(playwright, _profile, new ViewportSize { Width = 1280, Height = 900 });
        var page = browser.Pages.Count > 0 ? browser.Pages[0] : await browser.NewPageAsync();
        var console = new List<string>();
        page.Console += (_, message) => console.Add($"{message.Type}: {message.Text}");
        page.PageError += (_, error) => console.Add("pageerror: " + error);

        try
        {
            await page.GotoAsync(address + "/?name=Maria%20Lopez&id=patient-42");

            var transcript = page.Locator("#webchat");
            await Assertions.Expect(transcript).ToContainTextAsync("Hi Maria", new() { Timeout = 30_000 });

            var input = page.Locator("#webchat input[type=text], #webchat textarea").First;
            await input.FillAsync("what are your saturday hours");
            await input.PressAsync("Enter");

            await Assertions.Expect(transcript).ToContainTextAsync("Saturdays 8:00 to 12:00", new() { Timeout = 30_000 });
            output.WriteLine($"Browser test took {started.Elapsed.TotalSeconds:F1} s (host start, Chromium launch, greeting, answer).");
        }
        catch
        {
            await SaveArtifactsAsync(page, console);
            throw;
        }
    }

    private async Task SaveArtifactsAsync(IPage page, List<string> console)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "artifacts");
        Directory.CreateDirectory(folder);
        var stem = Path.Combine(folder, "webchat-browser-" + DateTime.UtcNow.ToString("yyyyMMdd-HHmmss"));
        try
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = stem + ".png", FullPage = true });
            await File.WriteAllTextAsync(stem + ".html", await page.ContentAsync());
        }
        catch (PlaywrightException ex)
        {
            output.WriteLine("Could not save the page: " + ex.Message);
        }

        await File.WriteAllLinesAsync(stem + ".console.txt", console);
        await File.WriteAllLinesAsync(stem + ".host-log.txt", _factory.Logs.Lines);
        output.WriteLine($"Saved {stem}.png, .html and .console.txt");
        foreach (var line in console)
        {
            output.WriteLine(line);
        }
    }
}
