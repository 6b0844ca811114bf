using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using ClinicBot.Bot.Recognition;
using ClinicBot.Dialogs.Knowledge;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Bot.Schema;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Newtonsoft.Json;

namespace ClinicBot.Tests.Support;

/// <summary>
/// The real host (Program) on a temporary data folder: its own SQLite file, and a knowledge-base embedding
/// cache shared by the test run so the MiniLM embeddings are computed once, and two seeded staff accounts with
/// known passwords (agent "maria": front desk + billing; supervisor "sam"). Optionally a controllable clock and
/// extra configuration. Two factories given the same data folder are the same bot before and after a restart.
/// </summary>
public sealed class ClinicBotFactory : WebApplicationFactory<Program>
{
    public const string AgentPassword = "agent-password-123";
    public const string SupervisorPassword = "supervisor-password-123";

    internal static readonly string SharedKnowledgeCache = Path.Combine(Path.GetTempPath(), "clinicbot-tests-knowledge-cache");
    private readonly bool _ownsDataFolder;
    private readonly Dictionary<string, string?> _settings;
    private readonly IReadOnlyDictionary<string, string?> _hostSettings;

    /// <param name="hostSettings">
    /// Settings Program reads while it builds the host (which services to register): the factory applies
    /// <paramref name="settings"/> only once the host is built, in time for options but not for those decisions.
    /// </param>
    public ClinicBotFactory(
        string? dataFolder = null,
        FakeTimeProvider? clock = null,
        IDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? configureServices = null,
        IReadOnlyDictionary<string, string?>? hostSettings = null)
    {
        _hostSettings = hostSettings ?? new Dictionary<string, string?>();
        ConfigureServices = configureServices;
        _ownsDataFolder = dataFolder is null;
        DataFolder = dataFolder ?? NewDataFolder();
        Clock = clock;
        _settings = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>())
        {
            ["Storage:Sqlite:Path"] = Path.Combine(DataFolder, "clinicbot.db"),
            ["KnowledgeBase:EmbeddingCachePath"] = SharedKnowledgeCache,
            ["KnowledgeBase:OverlayPath"] = Path.Combine(DataFolder, "clinic-faq.added.yaml"),
            ["Staff:SeedAccounts:0:UserName"] = "maria",
            ["Staff:SeedAccounts:0:DisplayName"] = "Maria Lopez",
            ["Staff:SeedAccounts:0:Role"] = "agent",
            ["Staff:SeedAccounts:0:Departments:0"] = "front-desk",
            ["Staff:SeedAccounts:0:Departments:1"] = "billing",
            ["Staff:SeedAccounts:0:Password"] = AgentPassword,
            ["Staff:SeedAccounts:1:UserName"] = "sam",
            ["Staff:SeedAccounts:1:DisplayName"] = "Sam Supervisor",
            ["Staff:SeedAccounts:1:Role"] = "supervisor",
            ["Staff:SeedAccounts:1:Departments:0"] = "*",
            ["Staff:SeedAccounts:1:Password"] = SupervisorPassword,
        };

        // Functional tests send far more from one address than a patient would; RateLimitTests set real limits.
        _settings.TryAdd("RateLimits:TokenRequestsPerWindow", "100000");
        _settings.TryAdd("RateLimits:MessagesPerWindowPerClient", "1000000");
        _settings.TryAdd("RateLimits:MessagesPerWindowPerConversation", "100000");
    }

    public string DataFolder { get; }

    public FakeTimeProvider? Clock { get; }

    /// <summary>Every log line of this host, for failure messages.</summary>
    public CapturingLoggerProvider Logs { get; } = new();

    /// <summary>Monday 10:00 in New York: the clinic is open.</summary>
    public static FakeTimeProvider MondayMorning() => new(new DateTimeOffset(2026, 11, 30, 15, 0, 0, TimeSpan.Zero));

    public static string NewDataFolder()
    {
        var folder = Path.Combine(Path.GetTempPath(), "clinicbot-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        return folder;
    }

    /// <summary>
    /// Services that answer questions with <paramref name="recognizer"/> instead of the embedded model, which then is
    /// never warmed up: for tests about a channel or the host, where loading MiniLM would only cost time.
    /// </summary>
    public static Action<IServiceCollection> WithRecognizer(IQuestionRecognizer recognizer) => services =>
    {
        services.AddSingleton<IQuestionRecognizer>(recognizer);
        foreach (var warmup in services.Where(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType == typeof(KnowledgeRecognizerWarmup)).ToList())
        {
            services.Remove(warmup);
        }
    };

    /// <summary>Replace services before the first client is created.</summary>
    public Action<IServiceCollection>? ConfigureServices { get; set; }

    public DirectLineTestClient DirectLine() => new(CreateClient());

    /// <summary>
    /// Sends a patient activity through POST /api/messages, as a channel would; <paramref name="shape"/> can change any
    /// field before it is sent (an odd id, another type...).
    /// </summary>
    public async Task<HttpResponseMessage> PostActivityAsync(HttpClient client, ReplySink sink, string conversationId, string text, string userName = "Dana Smith", string userId = "patient-1", Action<Activity>? shape = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(sink);
        var activity = PatientMessage(sink, conversationId, text, Guid.NewGuid().ToString("N"), userId, userName, Clock?.GetUtcNow() ?? DateTimeOffset.UtcNow);
        shape?.Invoke(activity);
        return await PostToApiMessagesAsync(client, activity);
    }

    /// <summary>A patient's message as a channel posts it to /api/messages, replies going to <paramref name="sink"/>.</summary>
    public static Activity PatientMessage(ReplySink sink, string conversationId, string text, string activityId, string userId, string userName, DateTimeOffset sentAt)
    {
        ArgumentNullException.ThrowIfNull(sink);
        return new Activity
        {
            Type = ActivityTypes.Message,
            Id = activityId,
            ChannelId = "emulator",
            ServiceUrl = sink.ServiceUrl,
            Conversation = new ConversationAccount(id: conversationId),
            From = new ChannelAccount(userId, userName, RoleTypes.User),
            Recipient = new ChannelAccount("clinicbot", "ClinicBot", RoleTypes.Bot),
            Text = text,
            Timestamp = sentAt,
        };
    }

    /// <summary>POST /api/messages with the activity as Bot Builder serializes it (Newtonsoft).</summary>
    public static async Task<HttpResponseMessage> PostToApiMessagesAsync(HttpClient client, Activity activity)
    {
        ArgumentNullException.ThrowIfNull(client);
        using var content = new StringContent(JsonConvert.SerializeObject(activity), System.Text.Encoding.UTF8, "application/json");
        return await client.PostAsync("/api/messages", content);
    }

    /// <summary>A client signed in through the API, sending the anti-forgery token on every request.</summary>
    public async Task<HttpClient> SignedInClientAsync(string userName, string password)
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var response = await client.PostAsJsonAsync("/api/staff/sign-in", new { userName, password });
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        client.DefaultRequestHeaders.Add("X-CSRF-TOKEN", body.GetProperty("csrfToken").GetString());
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return client;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        foreach (var (key, value) in _hostSettings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureAppConfiguration(configuration => configuration.AddInMemoryCollection(_settings));
        builder.ConfigureLogging(logging => logging.AddProvider(Logs));
        builder.ConfigureTestServices(services =>
        {
            if (Clock is not null)
            {
                services.AddSingleton<TimeProvider>(Clock);
            }

            ConfigureServices?.Invoke(services);
        });
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            SqliteConnection.ClearAllPools();
            if (_ownsDataFolder)
            {
                try
                {
                    Directory.Delete(DataFolder, recursive: true);
                }
                catch (IOException)
                {
                }
            }
        }
    }
}
