using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace ClinicBot.Tests.Support;

/// <summary>
/// The real host (Program) over in-memory HTTP, with its own data folder so tests never share state.
/// Two factories given the same folder behave like one bot restarted.
/// </summary>
public sealed class ClinicBotAppFactory : WebApplicationFactory<Program>
{
    /// <summary>Knowledge-base embeddings are keyed by content hash, so every test can share one cache.</summary>
    private static readonly string SharedEmbeddingCache = Path.Combine(Path.GetTempPath(), "clinicbot-tests-embeddings");

    private readonly Dictionary<string, string?> _settings;
    private readonly Action<IServiceCollection>? _configureServices;

    public ClinicBotAppFactory(string? dataFolder = null, Dictionary<string, string?>? settings = null, Action<IServiceCollection>? configureServices = null)
    {
        DataFolder = dataFolder ?? Path.Combine(Path.GetTempPath(), "clinicbot-tests", Guid.NewGuid().ToString("N"));
        _configureServices = configureServices;
        _settings = new Dictionary<string, string?>
        {
            ["Storage:Sqlite:Path"] = Path.Combine(DataFolder, "clinicbot.db"),
            ["KnowledgeBase:EmbeddingCachePath"] = SharedEmbeddingCache,
            ["KnowledgeBase:OverlayPath"] = Path.Combine(DataFolder, "knowledge-added.yaml"),
        };
        foreach (var (key, value) in settings ?? [])
        {
            _settings[key] = value;
        }
    }

    public string DataFolder { get; }

    /// <summary>Deletes the data folder; call once the last factory using it is disposed.</summary>
    public void DeleteData()
    {
        if (Directory.Exists(DataFolder))
        {
            Directory.Delete(DataFolder, recursive: true);
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        if (_configureServices is not null)
        {
            builder.ConfigureServices(_configureServices);
        }
    }
}
