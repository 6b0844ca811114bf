using ClinicBot.Bot.Storage.Cosmos;
using ClinicBot.Bot.Storage.Sqlite;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace ClinicBot.Bot.Storage;

/// <summary>Reports whether the configured bot state storage can be reached.</summary>
public sealed class StorageHealthCheck : IHealthCheck
{
    private readonly IOptions<StorageOptions> _options;
    private readonly IServiceProvider _services;

    /// <summary>Creates the health check.</summary>
    public StorageHealthCheck(IOptions<StorageOptions> options, IServiceProvider services)
    {
        _options = options;
        _services = services;
    }

    /// <inheritdoc />
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var provider = _options.Value.Provider;
        if (provider == StorageProvider.Memory)
        {
            return HealthCheckResult.Healthy("In-memory storage (state is lost on restart).");
        }

        if (provider == StorageProvider.Cosmos)
        {
            var containers = (CosmosContainers?)_services.GetService(typeof(CosmosContainers));
            if (containers is null)
            {
                return HealthCheckResult.Unhealthy("CosmosContainers is not registered.");
            }

            return await containers.IsReachableAsync(cancellationToken)
                ? HealthCheckResult.Healthy("Cosmos DB database is reachable.")
                : new HealthCheckResult(context.Registration.FailureStatus, "Cosmos DB database is not reachable.");
        }

        // Resolved lazily so a Memory configuration never creates a SqliteDatabase.
        var database = (SqliteDatabase?)_services.GetService(typeof(SqliteDatabase));
        if (database is null)
        {
            return HealthCheckResult.Unhealthy("SqliteDatabase is not registered.");
        }

        return await database.IsReachableAsync(cancellationToken)
            ? HealthCheckResult.Healthy("SQLite database is reachable.")
            : new HealthCheckResult(context.Registration.FailureStatus, "SQLite database is not reachable.");
    }
}
