using ClinicBot.Dialogs.Middleware;
using Microsoft.Extensions.Options;

namespace ClinicBot.Bot.Storage.Sqlite;

/// <summary>
/// Durable delivery records in the ClinicBot SQLite database: a redelivered activity is recognised after a restart
/// too. A claim that never completed is taken over when it belongs to another process (the one that crashed) or is
/// older than <see cref="InFlightTimeout"/>, so a crash mid-turn loses nothing. Records are kept
/// <c>Storage:DeliveryRecordHours</c> (48 h) and removed by <see cref="PurgeAsync"/>.
/// </summary>
public sealed class SqliteActivityDeduplicator(SqliteDatabase database, TimeProvider time) : IActivityDeduplicator
{
    public static readonly SqliteMigration Schema = new("0600_delivered_activities", """
        CREATE TABLE IF NOT EXISTS delivered_activities (
            key TEXT PRIMARY KEY,
            owner TEXT NOT NULL,
            claimed_ms INTEGER NOT NULL,
            completed INTEGER NOT NULL DEFAULT 0,
            result TEXT
        ) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS ix_delivered_activities_claimed ON delivered_activities(claimed_ms);
        """);

    /// <summary>An unfinished claim of this same process older than this is taken over (a turn never takes this long).</summary>
    public static readonly TimeSpan InFlightTimeout = TimeSpan.FromMinutes(2);

    private const string ClaimSql = """
        INSERT INTO delivered_activities (key, owner, claimed_ms) VALUES ($key, $owner, $now)
        ON CONFLICT(key) DO UPDATE SET owner = excluded.owner, claimed_ms = excluded.claimed_ms
        WHERE completed = 0 AND (owner <> excluded.owner OR claimed_ms < $stale);
        """;

    /// <summary>This process; claims of other (crashed) processes that never completed can be taken over.</summary>
    private readonly string _owner = Environment.ProcessId + "-" + Guid.NewGuid().ToString("N")[..12];

    public Task<DeliveryClaim> ClaimAsync(string key, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        return database.WriteAsync(write =>
        {
            var claim = write.Command(ClaimSql);
            claim.Parameters.AddWithValue("$key", key);
            claim.Parameters.AddWithValue("$owner", _owner);
            claim.Parameters.AddWithValue("$now", now);
            claim.Parameters.AddWithValue("$stale", now - (long)InFlightTimeout.TotalMilliseconds);
            if (claim.ExecuteNonQuery() == 1)
            {
                return DeliveryClaim.First;
            }

            var read = write.Command("SELECT result FROM delivered_activities WHERE key = $key");
            read.Parameters.AddWithValue("$key", key);
            return DeliveryClaim.Duplicate(read.ExecuteScalar() as string);
        }, cancellationToken);
    }

    public Task CompleteAsync(string key, string? result, CancellationToken cancellationToken) =>
        database.WriteAsync(write =>
        {
            var command = write.Command("UPDATE delivered_activities SET completed = 1, result = $result WHERE key = $key");
            command.Parameters.AddWithValue("$key", key);
            command.Parameters.AddWithValue("$result", (object?)result ?? DBNull.Value);
            command.ExecuteNonQuery();
        }, cancellationToken);

    public Task ReleaseAsync(string key, CancellationToken cancellationToken) =>
        database.WriteAsync(write =>
        {
            var command = write.Command("DELETE FROM delivered_activities WHERE key = $key AND completed = 0");
            command.Parameters.AddWithValue("$key", key);
            command.ExecuteNonQuery();
        }, cancellationToken);

    /// <summary>Deletes records claimed before the cutoff; returns how many.</summary>
    public async Task<int> PurgeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        return await database.WriteAsync(write =>
        {
            var command = write.Command("DELETE FROM delivered_activities WHERE claimed_ms < $cutoff");
            command.Parameters.AddWithValue("$cutoff", cutoff.ToUnixTimeMilliseconds());
            return command.ExecuteNonQuery();
        }, cancellationToken);
    }
}

/// <summary>Hourly: forgets delivery records older than <c>Storage:DeliveryRecordHours</c>.</summary>
public sealed class DeliveryRecordPurgeService(
    IServiceProvider services,
    IOptions<StorageOptions> options,
    TimeProvider time,
    ILogger<DeliveryRecordPurgeService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (services.GetService<Dialogs.Middleware.IActivityDeduplicator>() is not SqliteActivityDeduplicator store)
        {
            return;
        }

        using var timer = new PeriodicTimer(TimeSpan.FromHours(1), time);
        do
        {
            try
            {
                var removed = await store.PurgeAsync(time.GetUtcNow().AddHours(-options.Value.DeliveryRecordHours), stoppingToken);
                if (removed > 0)
                {
                    logger.LogInformation("Forgot {Count} delivery records older than {Hours} h", removed, options.Value.DeliveryRecordHours);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Purging delivery records failed; retrying in an hour");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
