using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ClinicBot.Bench;

namespace ClinicBot.Tests.Support;

/// <summary>
/// The bench's <see cref="BotProcess"/> (the real bot as a separate process) with what the reliability tests need:
/// the bot of this test build, a supervisor to sign in as, and patients and staff talking to it over real HTTP.
/// </summary>
public static class TestBotProcess
{
    /// <summary>Starts bot/bin/{Configuration}/net10.0/ClinicBot.Bot.dll on the data folder and waits until /healthz answers.</summary>
    public static Task<BotProcess> StartAsync(string dataFolder)
    {
        var settings = new Dictionary<string, string>
        {
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

        var embeddingCache = Path.Combine(Path.GetTempPath(), "clinicbot-tests-knowledge-cache");
        return BotProcess.StartAsync(BotAssemblyPath(), dataFolder, embeddingCache, settings, CancellationToken.None);
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

    /// <summary>Posts a patient message to /api/messages as a channel would.</summary>
    public static async Task<HttpResponseMessage> PostMessageAsync(this BotProcess bot, ReplySink sink, string conversationId, string text, string activityId, string userId = "patient-1", string userName = "Dana Smith", HttpClient? client = null)
    {
        ArgumentNullException.ThrowIfNull(bot);
        var activity = ClinicBotFactory.PatientMessage(sink, conversationId, text, activityId, userId, userName, DateTimeOffset.UtcNow);
        return await ClinicBotFactory.PostToApiMessagesAsync(client ?? bot.Http, activity);
    }

    /// <summary>A staff client (cookie + anti-forgery token) signed in over real HTTP.</summary>
    public static async Task<HttpClient> SignedInStaffAsync(this BotProcess bot, string userName, string password)
    {
        ArgumentNullException.ThrowIfNull(bot);
        var handler = new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false };
        var client = new HttpClient(handler) { BaseAddress = new Uri(bot.BaseUrl), Timeout = TimeSpan.FromSeconds(60) };
        var response = await client.PostAsJsonAsync("/api/staff/sign-in", new { userName, password });
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        client.DefaultRequestHeaders.Add("X-CSRF-TOKEN", body.GetProperty("csrfToken").GetString());
        client.DefaultRequestHeaders.Accept.Add(new System.Net.Http.Headers.MediaTypeWithQualityHeaderValue("application/json"));
        return client;
    }
}
