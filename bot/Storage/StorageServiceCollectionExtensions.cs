using ClinicBot.Bot.Storage.Memory;
using ClinicBot.Bot.Storage.Sqlite;
using ClinicBot.Dialogs.FollowUps;
using ClinicBot.Dialogs.Handoff;
using Microsoft.Bot.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ClinicBot.Bot.Storage;

/// <summary>Registers ClinicBot's bot state storage.</summary>
public static class StorageServiceCollectionExtensions
{
    /// <summary>Health check registration name.</summary>
    public const string HealthCheckName = "storage";

    /// <summary>
    /// Binds and validates <see cref="StorageOptions"/> (section <c>Storage</c>, validated on start), registers
    /// <see cref="SqliteDatabase"/> (singleton, with the <c>bot_state</c> migration), <see cref="IStorage"/>
    /// (<see cref="SqliteStorage"/>, or Bot Builder's <see cref="MemoryStorage"/> when <c>Storage:Provider</c> is
    /// <c>Memory</c>) and the <see cref="StorageHealthCheck"/> (name <c>storage</c>, tag <c>ready</c>).
    /// Other stores add their tables with <see cref="SqliteMigrationServiceCollectionExtensions.AddSqliteMigration(IServiceCollection, string, string)"/>.
    /// </summary>
    public static IHostApplicationBuilder AddClinicBotStorage(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;

        services.AddOptions<StorageOptions>()
            .BindConfiguration(StorageOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        services.TryAddSingleton(TimeProvider.System);
        services.AddSqliteMigration(SqliteStorage.Migration);
        services.TryAddSingleton<SqliteDatabase>();
        services.TryAddSingleton<SqliteStorage>();
        services.TryAddSingleton<IStorage>(sp => sp.GetRequiredService<IOptions<StorageOptions>>().Value.Provider switch
        {
            StorageProvider.Memory => new MemoryStorage(),
            _ => sp.GetRequiredService<SqliteStorage>(),
        });

        services.AddSqliteMigration(SqliteFollowUpQueue.Schema);
        services.AddSqliteMigration(SqliteHandoffQueue.Schema);
        services.AddSqliteMigration(SqliteHandoffQueue.MessagesSchema);
        services.AddSqliteMigration(SqliteHandoffQueue.EngineSchema);
        services.TryAddSingleton<SqliteFollowUpQueue>();
        services.TryAddSingleton<InMemoryFollowUpQueue>();
        services.TryAddSingleton<IFollowUpQueue>(sp => sp.GetRequiredService<IOptions<StorageOptions>>().Value.Provider switch
        {
            StorageProvider.Memory => sp.GetRequiredService<InMemoryFollowUpQueue>(),
            _ => sp.GetRequiredService<SqliteFollowUpQueue>(),
        });
        services.TryAddSingleton<SqliteHandoffQueue>();
        services.TryAddSingleton<InMemoryHandoffQueue>();
        services.TryAddSingleton<IHandoffQueue>(sp => sp.GetRequiredService<IOptions<StorageOptions>>().Value.Provider switch
        {
            StorageProvider.Memory => sp.GetRequiredService<InMemoryHandoffQueue>(),
            _ => sp.GetRequiredService<SqliteHandoffQueue>(),
        });

        services.AddHealthChecks().AddCheck<StorageHealthCheck>(HealthCheckName, tags: ["ready"]);
        return builder;
    }
}
