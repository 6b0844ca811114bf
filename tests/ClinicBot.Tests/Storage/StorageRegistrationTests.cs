using ClinicBot.Bot.Storage;
using ClinicBot.Bot.Storage.Sqlite;
using Microsoft.Bot.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ClinicBot.Tests.Storage;

public sealed class StorageRegistrationTests : IDisposable
{
    private readonly SqliteTestDatabase _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public async Task SqliteIsTheDefaultProviderAndIsHealthy()
    {
        using var host = BuildHost(new() { ["Storage:Sqlite:Path"] = _files.FilePath });
        await host.StartAsync();

        Assert.IsType<SqliteStorage>(host.Services.GetRequiredService<IStorage>());
        Assert.Equal(_files.FilePath, host.Services.GetRequiredService<SqliteDatabase>().FilePath);
        var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        Assert.Equal(HealthStatus.Healthy, report.Entries[StorageServiceCollectionExtensions.HealthCheckName].Status);
        Assert.True(File.Exists(_files.FilePath));
        await host.StopAsync();
    }

    [Fact]
    public async Task MemoryProviderUsesBotBuilderMemoryStorageAndTouchesNoFile()
    {
        using var host = BuildHost(new() { ["Storage:Provider"] = "memory", ["Storage:Sqlite:Path"] = _files.FilePath });
        await host.StartAsync();

        Assert.IsType<MemoryStorage>(host.Services.GetRequiredService<IStorage>());
        var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        Assert.Equal(HealthStatus.Healthy, report.Status);
        Assert.False(Directory.Exists(_files.Folder));
        await host.StopAsync();
    }

    [Fact]
    public async Task HealthCheckIsUnhealthyWhenTheDatabaseCannotBeOpened()
    {
        Directory.CreateDirectory(_files.Folder);
        var notAFolder = Path.Combine(_files.Folder, "file");
        await File.WriteAllTextAsync(notAFolder, "x");
        using var host = BuildHost(new() { ["Storage:Sqlite:Path"] = Path.Combine(notAFolder, "clinicbot.db") });

        var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        Assert.Equal(HealthStatus.Unhealthy, report.Entries[StorageServiceCollectionExtensions.HealthCheckName].Status);
    }

    [Fact]
    public async Task AnEmptySqlitePathFailsValidationOnStart()
    {
        using var host = BuildHost(new() { ["Storage:Sqlite:Path"] = " " });

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.Contains("Path", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheSqlitePathIsNotRequiredForTheMemoryProvider()
    {
        var options = new StorageOptions { Provider = StorageProvider.Memory, Sqlite = new SqliteStorageOptions { Path = "" } };

        Assert.True(System.ComponentModel.DataAnnotations.Validator.TryValidateObject(options, new(options), null, validateAllProperties: true));
    }

    [Fact]
    public void TheDefaultPathIsDataClinicbotDbUnderTheWorkingDirectory()
    {
        var options = new StorageOptions();
        using var database = new SqliteDatabase(Options.Create(options), []);

        Assert.Equal(StorageProvider.Sqlite, options.Provider);
        Assert.Equal(Path.Combine(Directory.GetCurrentDirectory(), "data", "clinicbot.db"), database.FilePath);
    }

    [Fact]
    public void OtherStoresRegisterMigrationsThroughTheServiceCollection()
    {
        using var host = BuildHost(
            new() { ["Storage:Sqlite:Path"] = _files.FilePath },
            services => services.AddSqliteMigration("0900_extension", "CREATE TABLE extension (id TEXT PRIMARY KEY);"));

        var migrations = host.Services.GetServices<SqliteMigration>().Select(m => m.Id).ToList();

        Assert.Contains("0001_bot_state", migrations);
        Assert.Contains("0900_extension", migrations);
        Assert.Equal(migrations.Count, migrations.Distinct(StringComparer.Ordinal).Count());
    }

    private static IHost BuildHost(Dictionary<string, string?> settings, Action<IServiceCollection>? configure = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddClinicBotStorage();
        configure?.Invoke(builder.Services);
        return builder.Build();
    }
}
