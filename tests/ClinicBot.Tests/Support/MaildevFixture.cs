using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;

namespace ClinicBot.Tests.Support;

/// <summary>
/// A real SMTP server with an HTTP API (npm maildev, under scripts/maildev; scripts/test.sh installs it) on 127.0.0.1
/// and free ports, for the on-call email tests. Fails with a sentence saying so when it is not installed: the email
/// tests are never skipped.
/// </summary>
public sealed class MaildevFixture : IDisposable
{
    private readonly Process _process;
    private readonly HttpClient _api;

    public MaildevFixture()
    {
        var root = Deployment.RepositoryFiles.Root;
        var script = Path.Combine(root, "scripts", "maildev", "node_modules", "maildev", "dist", "bin", "maildev.js");
        if (!File.Exists(script))
        {
            throw new InvalidOperationException("The on-call email tests need maildev (npm install --prefix scripts/maildev; scripts/test.sh installs it).");
        }

        SmtpPort = FreePort();
        WebPort = FreePort();
        var startInfo = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { script, "--smtp", SmtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture), "--web", WebPort.ToString(System.Globalization.CultureInfo.InvariantCulture), "--ip", "127.0.0.1", "--web-ip", "127.0.0.1", "--silent" })
        {
            startInfo.ArgumentList.Add(argument);
        }

        _process = Process.Start(startInfo)!;
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        _api = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{WebPort}/") };

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                using var response = _api.GetAsync("api/healthz").GetAwaiter().GetResult();
                if (response.IsSuccessStatusCode)
                {
                    break;
                }
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline && !_process.HasExited)
            {
            }

            if (DateTime.UtcNow >= deadline || _process.HasExited)
            {
                throw new InvalidOperationException("maildev did not start.");
            }

            Thread.Sleep(100);
        }
    }

    public int SmtpPort { get; }

    public int WebPort { get; }

    /// <summary>Every email received so far: recipients, subject and plain-text body.</summary>
    public async Task<IReadOnlyList<ReceivedEmail>> EmailsAsync()
    {
        var emails = await _api.GetFromJsonAsync<JsonElement[]>("api/email") ?? [];
        return emails.Select(e => new ReceivedEmail(
            e.GetProperty("to").EnumerateArray().Select(t => t.GetProperty("address").GetString()!).ToArray(),
            e.GetProperty("subject").GetString() ?? string.Empty,
            e.TryGetProperty("text", out var text) ? text.GetString() ?? string.Empty : string.Empty)).ToList();
    }

    /// <summary>Waits until at least <paramref name="count"/> emails arrived (the bot sends in the background).</summary>
    public async Task<IReadOnlyList<ReceivedEmail>> WaitForEmailsAsync(int count, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var emails = await EmailsAsync();
            if (emails.Count >= count || DateTime.UtcNow > deadline)
            {
                return emails;
            }

            await Task.Delay(100);
        }
    }

    public void Dispose()
    {
        _api.Dispose();
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(5000);
            }
        }
        finally
        {
            _process.Dispose();
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

public sealed record ReceivedEmail(string[] To, string Subject, string Text);
