using ClinicBot.Bot.Storage.Cosmos;
using ClinicBot.Bot.Storage.Memory;
using ClinicBot.Bot.Storage.Sqlite;
using ClinicBot.Dialogs.Cases;
using ClinicBot.Dialogs.Appointments;
using ClinicBot.Dialogs.FollowUps;
using ClinicBot.Dialogs.Handoff;
using Microsoft.Azure.Cosmos;
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
    /// <c>Memory</c>, or <see cref="CosmosStorage"/> when it is <c>Cosmos</c>) and the <see cref="StorageHealthCheck"/>
    /// (name <c>storage</c>, tag <c>ready</c>). For Cosmos DB it also registers the <see cref="CosmosClient"/> (register
    /// your own first to customise it), <see cref="CosmosContainers"/> (created at start when
    /// <c>Storage:Cosmos:CreateContainers</c> is true), <see cref="CosmosFollowUpQueue"/>, <see cref="CosmosHandoffQueue"/>,
    /// <see cref="CosmosCaseStore"/> and
    /// <see cref="CosmosTranscriptStore"/> with <see cref="TranscriptOptions"/> (section <c>Transcripts</c>).
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

        services.AddOptions<TranscriptOptions>()
            .BindConfiguration(TranscriptOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        services.TryAddSingleton(TimeProvider.System);

        // Cosmos DB: resolved lazily, so the other providers never build a client.
        services.TryAddSingleton(sp => CosmosContainers.CreateClient(sp.GetRequiredService<IOptions<StorageOptions>>().Value.Cosmos));
        services.TryAddSingleton<CosmosContainers>();
        services.TryAddSingleton<CosmosStorage>();
        services.TryAddSingleton<CosmosFollowUpQueue>();
        services.TryAddSingleton<CosmosTranscriptStore>();
        services.TryAddSingleton<CosmosHandoffQueue>();
        services.TryAddSingleton<CosmosCaseStore>();
        services.AddHostedService<CosmosStorageInitializer>();
        services.AddSqliteMigration(SqliteStorage.Migration);
        services.TryAddSingleton<SqliteDatabase>();
        services.TryAddSingleton<SqliteStorage>();
        services.TryAddSingleton<IStorage>(sp => sp.GetRequiredService<IOptions<StorageOptions>>().Value.Provider switch
        {
            StorageProvider.Memory => new MemoryStorage(),
            StorageProvider.Cosmos => sp.GetRequiredService<CosmosStorage>(),
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
            StorageProvider.Cosmos => sp.GetRequiredService<CosmosFollowUpQueue>(),
            _ => sp.GetRequiredService<SqliteFollowUpQueue>(),
        });
        services.AddSqliteMigration(SqliteCaseStore.Schema);
        services.TryAddSingleton<SqliteCaseStore>();
        services.TryAddSingleton<InMemoryCaseStore>();
        services.TryAddSingleton<ICaseStore>(sp => sp.GetRequiredService<IOptions<StorageOptions>>().Value.Provider switch
        {
            StorageProvider.Memory => sp.GetRequiredService<InMemoryCaseStore>(),
            StorageProvider.Cosmos => sp.GetRequiredService<CosmosCaseStore>(),
            _ => sp.GetRequiredService<SqliteCaseStore>(),
        });
        services.TryAddSingleton<SqliteHandoffQueue>();
        services.TryAddSingleton<InMemoryHandoffQueue>();
        services.TryAddSingleton<IHandoffQueue>(sp => sp.GetRequiredService<IOptions<StorageOptions>>().Value.Provider switch
        {
            StorageProvider.Memory => sp.GetRequiredService<InMemoryHandoffQueue>(),
            StorageProvider.Cosmos => sp.GetRequiredService<CosmosHandoffQueue>(),
            _ => sp.GetRequiredService<SqliteHandoffQueue>(),
        });

        // Delivery records (exactly-once turns): the local SQLite file unless state is in memory. With Cosmos DB
        // each host keeps its own file; the per-conversation turn gate is per host too.
        services.AddSqliteMigration(SqliteActivityDeduplicator.Schema);
        services.TryAddSingleton<SqliteActivityDeduplicator>();
        services.TryAddSingleton<InMemoryActivityDeduplicator>();
        services.TryAddSingleton<Dialogs.Middleware.IActivityDeduplicator>(sp => sp.GetRequiredService<IOptions<StorageOptions>>().Value.Provider switch
        {
            StorageProvider.Memory => sp.GetRequiredService<InMemoryActivityDeduplicator>(),
            _ => sp.GetRequiredService<SqliteActivityDeduplicator>(),
        });
        services.AddHostedService<DeliveryRecordPurgeService>();

        // Patients' "delete my data" requests wait for a supervisor in the local SQLite file.
        services.AddSqliteMigration(SqliteDataDeletionRequests.Schema);
        services.TryAddSingleton<Dialogs.Privacy.IDataDeletionRequests, SqliteDataDeletionRequests>();

        // The embedded schedule lives in the local SQLite file whatever the state provider is.
        services.AddSqliteMigration(SqliteAppointments.Schema);
        services.TryAddSingleton<IAppointments, SqliteAppointments>();

        services.AddHealthChecks().AddCheck<StorageHealthCheck>(HealthCheckName, tags: ["ready"]);
        return builder;
    }
}
