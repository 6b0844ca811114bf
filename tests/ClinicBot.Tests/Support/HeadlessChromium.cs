using Microsoft.Playwright;

namespace ClinicBot.Tests.Support;

/// <summary>
/// Debian's Chromium, driven by Playwright (which cannot download its own browsers here), with the flags this
/// machine's closed network needs, in a fresh profile folder.
/// </summary>
public static class HeadlessChromium
{
    public const string ExecutablePath = "/usr/bin/chromium";

    private static readonly string[] Args =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ];

    public static async Task<IBrowserContext> LaunchAsync(IPlaywright playwright, string userDataFolder, ViewportSize? viewport = null)
    {
        ArgumentNullException.ThrowIfNull(playwright);
        Assert.True(File.Exists(ExecutablePath), $"Chromium is not installed at {ExecutablePath}: run 'apt-get install -y chromium' (./scripts/test.sh does).");
        return await playwright.Chromium.LaunchPersistentContextAsync(userDataFolder, new BrowserTypeLaunchPersistentContextOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args = Args,
            ViewportSize = viewport,
        });
    }
}
