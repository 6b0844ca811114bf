using System.Collections.Concurrent;
using ClinicBot.Dialogs.Middleware;
using Microsoft.Extensions.Options;

namespace ClinicBot.Bot.Storage.Sqlite;

/// <summary>
/// Durable delivery records in the ClinicBot SQLite database: a redelivered activity is recognised after a restart
/// too. Records are kept <c>Storage:DeliveryRecordHours</c> (48 h) and removed by <see cref="PurgeAsync"/>.
/// </summary>
/// <remarks>
/// Only a completed delivery is written, once, when its turn finished (before the channel gets its answer). A delivery
/// in flight is known to this process alone: a crash forgets it, so the channel's retry runs the turn, which is what a
/// durable "in flight" record was for. Claiming is therefore a read, not a write, and a turn no longer waits on the
/// database writer before it starts: one commit fewer per turn, and the record's page is written once instead of
/// twice. The database file belongs to one process (each host keeps its own).
/// </remarks>
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

    // claimed_ms holds the completion time; rows with completed = 0 are from versions that also stored claims.
    private const string CompleteSql = """
        INSERT INTO delivered_activities (key, owner, claimed_ms, completed, result) VALUES ($key, $owner, $now, 1, $result)
        ON CONFLICT(key) DO UPDATE SET owner = excluded.owner, claimed_ms = excluded.claimed_ms, completed = 1, result = excluded.result;
        """;

    /// <summary>This process, in each record: which process completed it.</summary>
    private readonly string _owner = Environment.ProcessId + "-" + Guid.NewGuid().ToString("N")[..12];

    private readonly ConcurrentDictionary<string, byte> _inFlight = new(StringComparer.Ordinal);

    public async Task<DeliveryClaim> ClaimAsync(string key, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        if (!_inFlight.TryAdd(key, 0))
        {
            return DeliveryClaim.Duplicate(null);
        }

        try
        {
            var (completed, result) = await ReadCompletionAsync(key, cancellationToken);
            if (completed)
            {
                _inFlight.TryRemove(key, out _);
                return DeliveryClaim.Duplicate(result);
            }

            return DeliveryClaim.First;
        }
        catch
        {
            _inFlight.TryRemove(key, out _);
            throw;
        }
    }

    public async Task CompleteAsync(string key, string? result, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await database.WriteAsync(write =>
        {
            var command = write.Command(CompleteSql);
            command.Parameters.AddWithValue("$key", key);
            command.Parameters.AddWithValue("$owner", _owner);
            command.Parameters.AddWithValue("$now", now);
            command.Parameters.AddWithValue("$result", (object?)result ?? DBNull.Value);
            command.ExecuteNonQuery();
        }, cancellationToken);

        // Only once the record is committed: a redelivery in between still finds the delivery in flight. When the write
        // throws, the key stays in flight for the life of this process: the turn did run, so its retries are skipped.
        _inFlight.TryRemove(key, out _);
    }

    public Task ReleaseAsync(string key, CancellationToken cancellationToken)
    {
        _inFlight.TryRemove(key, out _);
        return Task.CompletedTask;
    }

    private async Task<(bool Completed, string? Result)> ReadCompletionAsync(string key, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT result FROM delivered_activities WHERE key = $key AND completed = 1";
        command.Parameters.AddWithValue("$key", key);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? (true, reader.IsDBNull(0) ? null : reader.GetString(0)) : (false, null);
    }

    /// <summary>Deletes records completed (or, from older versions, claimed) before the cutoff; returns how many.</summary>
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
