using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace ClinicBot.Bench;

/// <summary>
/// The bot as a separate process (<c>dotnet ClinicBot.Bot.dll --urls http://127.0.0.1:PORT</c>) on a data folder, so
/// the bench's figures include Kestrel, the real host wiring and nothing of the load generator, and so the reliability
/// tests can SIGKILL it, SIGTERM it, restart it on the same data and watch its memory. Reads the process's CPU time
/// and resident memory from /proc.
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
        Http = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(60) };
    }

    public string BaseUrl { get; }

    public string DataFolder { get; }

    public string DatabasePath => Path.Combine(DataFolder, "clinicbot.db");

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>A client on <see cref="BaseUrl"/>, disposed with the process.</summary>
    public HttpClient Http { get; }

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

    /// <summary>The bot as the bench measures it: abuse limits lifted, stock or ClinicBot connector wiring.</summary>
    public static async Task<BotProcess> StartAsync(string botDll, string dataFolder, string embeddingCache, bool stockSdkWiring, TextWriter log, CancellationToken cancellationToken, IReadOnlyDictionary<string, string>? environment = null)
    {
        var settings = new Dictionary<string, string>
        {
            ["Bot__CacheConnectorClients"] = stockSdkWiring ? "false" : "true",

            // The load generator is one client driving each conversation far faster than a patient types: lift the
            // abuse limits so the bench measures turns, not 429s.
            ["RateLimits__TokenRequestsPerWindow"] = "1000000",
            ["RateLimits__MessagesPerWindowPerClient"] = "10000000",
            ["RateLimits__MessagesPerWindowPerConversation"] = "1000000",
        };
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            settings[key] = value;
        }

        var bot = await StartAsync(botDll, dataFolder, embeddingCache, settings, cancellationToken);
        log.WriteLine($"  bot pid {bot.Pid} healthy at {bot.BaseUrl} after {bot.StartedIn.TotalSeconds:F1} s ({(stockSdkWiring ? "stock SDK wiring" : "ClinicBot wiring")})");
        return bot;
    }

    /// <summary>
    /// Starts the bot in Production on <paramref name="dataFolder"/> with <paramref name="environment"/> as extra
    /// configuration (environment variables, <c>Section__Key</c>) and waits until /healthz answers.
    /// </summary>
    public static async Task<BotProcess> StartAsync(string botDll, string dataFolder, string embeddingCache, IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(environment);
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
        foreach (var (key, value) in environment)
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
                    bot.StartedIn = deadline.Elapsed;
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

    /// <summary>From the start of the process until /healthz first answered.</summary>
    public TimeSpan StartedIn { get; private set; }

    /// <summary>User + system CPU time of the bot process so far (/proc/PID/stat utime + stime).</summary>
    public TimeSpan CpuTime()
    {
        return TimeSpan.FromSeconds(UserAndSystemTicks(File.ReadAllText($"/proc/{Pid}/stat")) / (double)ClockTicksPerSecond);
    }

    /// <summary>
    /// CPU time of the runtime's background JIT thread (".NET Tiered Compilation Worker", cut to 15 characters in
    /// /proc); zero when there is none.
    /// </summary>
    public TimeSpan JitCpuTime()
    {
        long ticks = 0;
        foreach (var thread in Directory.EnumerateDirectories($"/proc/{Pid}/task"))
        {
            try
            {
                if (File.ReadAllText(Path.Combine(thread, "comm")).TrimEnd() != ".NET Tiered Com")
                {
                    continue;
                }

                ticks += UserAndSystemTicks(File.ReadAllText(Path.Combine(thread, "stat")));
            }
            catch (IOException)
            {
                // The thread ended between listing and reading.
            }
        }

        return TimeSpan.FromSeconds(ticks / (double)ClockTicksPerSecond);
    }

    /// <summary>utime + stime, in clock ticks, of a process's or thread's <c>/proc/.../stat</c> line.</summary>
    private static long UserAndSystemTicks(string stat)
    {
        // After "pid (comm) ": state is field 0, utime field 11, stime field 12.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
    }

    /// <summary>Peak resident set size (VmHWM) in bytes.</summary>
    public long PeakRssBytes() => StatusBytes("VmHWM:");

    /// <summary>Resident set size now (VmRSS) in bytes.</summary>
    public long ResidentBytes() => StatusBytes("VmRSS:");

    /// <summary>The last lines the process wrote to stdout and stderr.</summary>
    public string Tail()
    {
        lock (_lastLines)
        {
            return string.Join('\n', _lastLines);
        }
    }

    /// <summary>SIGKILL: no shutdown code runs, as in a crash or an OOM kill.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    /// <summary>SIGTERM (what systemd, Kubernetes and App Service send), then waits for the exit.</summary>
    public async Task TerminateAsync(TimeSpan timeout)
    {
        using (var term = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await term.WaitForExitAsync();
        }

        using var wait = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(wait.Token);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            // SIGTERM first (graceful: SQLite checkpoints), then kill.
            try
            {
                await TerminateAsync(TimeSpan.FromSeconds(10));
            }
            catch (OperationCanceledException)
            {
                await KillAsync();
            }
        }

        Http.Dispose();
        _process.Dispose();
    }

    // Linux USER_HZ; 100 on every mainstream kernel configuration.
    private const int ClockTicksPerSecond = 100;

    private long StatusBytes(string field)
    {
        foreach (var line in File.ReadLines($"/proc/{Pid}/status"))
        {
            if (line.StartsWith(field, StringComparison.Ordinal))
            {
                var kb = line[field.Length..].Trim().Split(' ')[0];
                return long.Parse(kb, CultureInfo.InvariantCulture) * 1024;
            }
        }

        return 0;
    }

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
