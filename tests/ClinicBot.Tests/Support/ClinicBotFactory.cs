using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace ClinicBot.Tests.Support;

/// <summary>
/// The real host (Program) on a temporary data folder: its own SQLite file, and a knowledge-base embedding
/// cache shared by the test run so the MiniLM embeddings are computed once. Optionally a controllable clock
/// and extra configuration. Two factories given the same data folder are the same bot before and after a restart.
/// </summary>
public sealed class ClinicBotFactory : WebApplicationFactory<Program>
{
    private static readonly string SharedKnowledgeCache = Path.Combine(Path.GetTempPath(), "clinicbot-tests-knowledge-cache");
    private readonly bool _ownsDataFolder;
    private readonly Dictionary<string, string?> _settings;

    private readonly Action<IServiceCollection>? _configureServices;

    public ClinicBotFactory(string? dataFolder = null, FakeTimeProvider? clock = null, IDictionary<string, string?>? settings = null, Action<IServiceCollection>? configureServices = null)
    {
        _configureServices = configureServices;
        _ownsDataFolder = dataFolder is null;
        DataFolder = dataFolder ?? NewDataFolder();
        Clock = clock;
        _settings = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>())
        {
            ["Storage:Sqlite:Path"] = Path.Combine(DataFolder, "clinicbot.db"),
            ["KnowledgeBase:EmbeddingCachePath"] = SharedKnowledgeCache,
            ["KnowledgeBase:OverlayPath"] = Path.Combine(DataFolder, "clinic-faq.added.yaml"),
        };
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

    public DirectLineTestClient DirectLine() => new(CreateClient());

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.ConfigureAppConfiguration(configuration => configuration.AddInMemoryCollection(_settings));
        builder.ConfigureLogging(logging => logging.AddProvider(Logs));
        builder.ConfigureTestServices(services =>
        {
            if (Clock is not null)
            {
                services.AddSingleton<TimeProvider>(Clock);
            }

            _configureServices?.Invoke(services);
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
