using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace ClinicBot.Bench;

/// <summary>
/// The bot under test, as a separate process (<c>dotnet ClinicBot.Bot.dll --urls http://127.0.0.1:PORT</c>) with its
/// own fresh data folder, so the figures include Kestrel, the real host wiring and nothing of the load generator.
/// Reads the process's CPU time and peak RSS from /proc.
/// </summary>
public sealed class BotProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _lastLines = [];

    private BotProcess(Process process, string baseUrl, string dataFolder)
    {
        _process = process;
        BaseUrl = baseUrl;
        DataFolder = dataFolder;
    }

    public string BaseUrl { get; }

    public string DataFolder { get; }

    public string DatabasePath => Path.Combine(DataFolder, "clinicbot.db");

    public int Pid => _process.Id;

    /// <summary>A fresh data folder for one bot run; the embedding cache is shared so only the first run encodes the KB.</summary>
    public static string NewDataFolder(string root, string name)
    {
        var folder = Path.Combine(root, name);
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }

        Directory.CreateDirectory(folder);
        return folder;
    }

    public static async Task<BotProcess> StartAsync(string botDll, string dataFolder, string embeddingCache, bool stockSdkWiring, TextWriter log, CancellationToken cancellationToken, IReadOnlyDictionary<string, string>? environment = null)
    {
        var port = FreePort();
        var baseUrl = $"http://127.0.0.1:{port}";
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = dataFolder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(botDll);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(baseUrl);

        // The content root is the bot's own folder, as in a deployment (appsettings.json, log levels); the working
        // directory is the run's data folder so nothing the bot writes lands outside it.
        start.ArgumentList.Add("--contentRoot");
        start.ArgumentList.Add(Path.GetDirectoryName(Path.GetFullPath(botDll))!);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["Storage__Sqlite__Path"] = Path.Combine(dataFolder, "clinicbot.db");
        start.Environment["KnowledgeBase__EmbeddingCachePath"] = embeddingCache;
        start.Environment["KnowledgeBase__OverlayPath"] = Path.Combine(dataFolder, "knowledge", "clinic-faq.added.yaml");
        start.Environment["Bot__CacheConnectorClients"] = stockSdkWiring ? "false" : "true";

        // The load generator is one client driving each conversation far faster than a patient types: lift the
        // abuse limits so the bench measures turns, not 429s.
        start.Environment["RateLimits__TokenRequestsPerWindow"] = "1000000";
        start.Environment["RateLimits__MessagesPerWindowPerClient"] = "10000000";
        start.Environment["RateLimits__MessagesPerWindowPerConversation"] = "1000000";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the bot process.");
        var bot = new BotProcess(process, baseUrl, dataFolder);
        process.OutputDataReceived += (_, e) => bot.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => bot.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The bot exited with code {process.ExitCode} before it was healthy:\n{bot.Tail()}");
            }

            try
            {
                using var response = await http.GetAsync(baseUrl + "/healthz", cancellationToken);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    log.WriteLine($"  bot pid {process.Id} healthy at {baseUrl} after {deadline.Elapsed.TotalSeconds:F1} s ({(stockSdkWiring ? "stock SDK wiring" : "ClinicBot wiring")})");
                    return bot;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
            }

            if (deadline.Elapsed > TimeSpan.FromSeconds(180))
            {
                await bot.DisposeAsync();
                throw new TimeoutException($"The bot was not healthy after 180 s:\n{bot.Tail()}");
            }

            await Task.Delay(200, cancellationToken);
        }
    }

    /// <summary>User + system CPU time of the bot process so far (/proc/PID/stat utime + stime).</summary>
    public TimeSpan CpuTime()
    {
        var stat = File.ReadAllText($"/proc/{Pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // After "pid (comm) ": state is field 0, utime field 11, stime field 12.
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(ticks / (double)ClockTicksPerSecond);
    }

    /// <summary>Peak resident set size (VmHWM) in bytes.</summary>
    public long PeakRssBytes()
    {
        foreach (var line in File.ReadLines($"/proc/{Pid}/status"))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                var kb = line["VmHWM:".Length..].Trim().Split(' ')[0];
                return long.Parse(kb, CultureInfo.InvariantCulture) * 1024;
            }
        }

        return 0;
    }

    public string Tail()
    {
        lock (_lastLines)
        {
            return string.Join('\n', _lastLines);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            // SIGTERM first (graceful: SQLite checkpoints), then kill.
            using (var term = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                await term.WaitForExitAsync();
            }

            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await _process.WaitForExitAsync(wait.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }

        _process.Dispose();
    }

    // Linux USER_HZ; 100 on every mainstream kernel configuration.
    private const int ClockTicksPerSecond = 100;

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_lastLines)
        {
            _lastLines.Add(line);
            if (_lastLines.Count > 40)
            {
                _lastLines.RemoveAt(0);
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
