using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Bot.Schema;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Newtonsoft.Json;

namespace ClinicBot.Tests.Support;

/// <summary>
/// The real host (Program) on a temporary SQLite file and knowledge overlay, a controllable clock, and two seeded staff
/// accounts with known passwords (agent "maria": front desk + billing; supervisor "sam").
/// </summary>
public sealed class ClinicBotFactory : WebApplicationFactory<Program>
{
    public const string AgentPassword = "agent-password-123";
    public const string SupervisorPassword = "supervisor-password-123";

    // Shared across factories: the embedding cache is keyed by the knowledge base's content, so warm-up is paid once.
    private static readonly string SharedEmbeddingCache = Path.Combine(Path.GetTempPath(), "clinicbot-tests-embedding-cache");

    public ClinicBotFactory(DateTimeOffset? now = null, Dictionary<string, string?>? settings = null)
    {
        // Monday 10:00 in New York unless a test says otherwise: the clinic is open.
        Clock = new FakeTimeProvider(now ?? new DateTimeOffset(2026, 11, 30, 15, 0, 0, TimeSpan.Zero));
        Folder = Path.Combine(Path.GetTempPath(), "clinicbot-host-tests", Guid.NewGuid().ToString("N"));
        Settings = new Dictionary<string, string?>
        {
            ["Storage:Sqlite:Path"] = Path.Combine(Folder, "clinicbot.db"),
            ["KnowledgeBase:EmbeddingCachePath"] = SharedEmbeddingCache,
            ["KnowledgeBase:OverlayPath"] = Path.Combine(Folder, "clinic-faq.added.yaml"),
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
        foreach (var (key, value) in settings ?? [])
        {
            Settings[key] = value;
        }
    }

    public FakeTimeProvider Clock { get; }

    public string Folder { get; }

    public Dictionary<string, string?> Settings { get; }

    public CapturingLoggerProvider Logs { get; } = new();

    /// <summary>Configure before the first client is created (e.g. replace services).</summary>
    public Action<IServiceCollection>? ConfigureServices { get; set; }

    /// <summary>Sends a patient activity through POST /api/messages, as a channel would.</summary>
    public async Task<HttpResponseMessage> PostActivityAsync(HttpClient client, ReplySink sink, string conversationId, string text, string userName = "Dana Smith", string userId = "patient-1")
    {
        var activity = new Activity
        {
            Type = ActivityTypes.Message,
            Id = Guid.NewGuid().ToString("N"),
            ChannelId = "emulator",
            ServiceUrl = sink.ServiceUrl,
            Conversation = new ConversationAccount(id: conversationId),
            From = new ChannelAccount(userId, userName, RoleTypes.User),
            Recipient = new ChannelAccount("clinicbot", "ClinicBot", RoleTypes.Bot),
            Text = text,
            Timestamp = Clock.GetUtcNow(),
        };
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
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureLogging(logging => logging.AddProvider(Logs));
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<TimeProvider>(Clock);
            ConfigureServices?.Invoke(services);
        });
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(Folder, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
