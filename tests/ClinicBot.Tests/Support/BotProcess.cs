using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Microsoft.Bot.Schema;
using Newtonsoft.Json;

namespace ClinicBot.Tests.Support;

/// <summary>
/// The real bot as a separate process (<c>dotnet bot/bin/{Configuration}/net10.0/ClinicBot.Bot.dll --urls ...</c>) on a
/// data folder, so tests can SIGKILL it, SIGTERM it, restart it on the same data and watch its memory.
/// </summary>
public sealed class BotProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private BotProcess(Process process, string baseUrl)
    {
        _process = process;
        BaseUrl = baseUrl;
        Http = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(60) };
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string BaseUrl { get; }

    public HttpClient Http { get; }

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>Everything the process wrote to stdout and stderr.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>bot/bin/{Configuration}/net10.0/ClinicBot.Bot.dll, found from the test assembly's own output path.</summary>
    public static string BotAssemblyPath()
    {
        var testOutput = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = testOutput.Parent!.Name; // tests/ClinicBot.Tests/bin/{Configuration}/net10.0
        var repository = testOutput.Parent.Parent!.Parent!.Parent!.Parent!.FullName;
        var path = Path.Combine(repository, "bot", "bin", configuration, "net10.0", "ClinicBot.Bot.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException($"Build the bot first ({path} is missing).", path);
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Starts the bot on the data folder and waits until /healthz answers.</summary>
    public static async Task<BotProcess> StartAsync(string dataFolder, IDictionary<string, string>? environment = null, int? port = null)
    {
        var dll = BotAssemblyPath();
        var url = $"http://127.0.0.1:{port ?? FreePort()}";
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(url);
        var settings = new Dictionary<string, string>
        {
            ["DOTNET_ENVIRONMENT"] = "Production",
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Storage__Sqlite__Path"] = Path.Combine(dataFolder, "clinicbot.db"),
            ["KnowledgeBase__EmbeddingCachePath"] = Path.Combine(Path.GetTempPath(), "clinicbot-tests-knowledge-cache"),
            ["KnowledgeBase__OverlayPath"] = Path.Combine(dataFolder, "clinic-faq.added.yaml"),
            ["DirectLine__TokenSigningKey"] = "crash-test-signing-key-0123456789abcdef",
            ["Staff__SeedAccounts__0__UserName"] = "sam",
            ["Staff__SeedAccounts__0__DisplayName"] = "Sam Supervisor",
            ["Staff__SeedAccounts__0__Role"] = "supervisor",
            ["Staff__SeedAccounts__0__Departments__0"] = "*",
            ["Staff__SeedAccounts__0__Password"] = ClinicBotFactory.SupervisorPassword,
            ["RateLimits__MessagesPerWindowPerClient"] = "10000000",
            ["RateLimits__MessagesPerWindowPerConversation"] = "1000000",
            ["Logging__LogLevel__Default"] = "Warning",
        };
        // A real clock: keep the clinic staffed around the clock so handoffs queue whatever the time of the run.
        foreach (var day in Enum.GetNames<DayOfWeek>())
        {
            settings[$"ClinicHours__Hours__{day}"] = "00:00-23:59";
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            settings[key] = value;
        }

        foreach (var (key, value) in settings)
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var bot = new BotProcess(process, url);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The bot exited with {process.ExitCode} while starting:\n{bot.Output}");
            }

            try
            {
                using var health = await bot.Http.GetAsync("/healthz");
                if (health.IsSuccessStatusCode)
                {
                    return bot;
                }
            }
            catch (HttpRequestException)
            {
            }

            if (DateTime.UtcNow > deadline)
            {
                await bot.DisposeAsync();
                throw new TimeoutException($"The bot did not become healthy in 90 s:\n{bot.Output}");
            }

            await Task.Delay(250);
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
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill!.WaitForExitAsync();
        }

        using var wait = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(wait.Token);
    }

    /// <summary>Resident set size of the bot process, from /proc.</summary>
    public long ResidentBytes()
    {
        foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) * 1024;
            }
        }

        return 0;
    }

    /// <summary>Posts a patient message to /api/messages as a channel would.</summary>
    public async Task<HttpResponseMessage> PostMessageAsync(ReplySink sink, string conversationId, string text, string activityId, string userId = "patient-1", string userName = "Dana Smith", HttpClient? client = null)
    {
        var activity = new Microsoft.Bot.Schema.Activity
        {
            Type = ActivityTypes.Message,
            Id = activityId,
            ChannelId = "emulator",
            ServiceUrl = sink.ServiceUrl,
            Conversation = new ConversationAccount(id: conversationId),
            From = new ChannelAccount(userId, userName, RoleTypes.User),
            Recipient = new ChannelAccount("clinicbot", "ClinicBot", RoleTypes.Bot),
            Text = text,
            Timestamp = DateTimeOffset.UtcNow,
        };
        using var content = new StringContent(JsonConvert.SerializeObject(activity), Encoding.UTF8, "application/json");
        return await (client ?? Http).PostAsync("/api/messages", content);
    }

    /// <summary>A staff client (cookie + anti-forgery token) signed in over real HTTP.</summary>
    public async Task<HttpClient> SignedInStaffAsync(string userName, string password)
    {
        var handler = new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false };
        var client = new HttpClient(handler) { BaseAddress = new Uri(BaseUrl), Timeout = TimeSpan.FromSeconds(60) };
        var response = await client.PostAsJsonAsync("/api/staff/sign-in", new { userName, password });
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        client.DefaultRequestHeaders.Add("X-CSRF-TOKEN", body.GetProperty("csrfToken").GetString());
        client.DefaultRequestHeaders.Accept.Add(new System.Net.Http.Headers.MediaTypeWithQualityHeaderValue("application/json"));
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        Http.Dispose();
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            if (_output.Length < 200_000)
            {
                _output.AppendLine(line);
            }
        }
    }
}
