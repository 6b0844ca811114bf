using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ClinicBot.Bot.Storage.Sqlite;

/// <summary>
/// Owns ClinicBot's SQLite database file: creates it owner-only, opens (pooled) connections configured for
/// WAL, <c>synchronous=NORMAL</c>, a busy timeout and foreign keys, and applies the registered
/// <see cref="SqliteMigration"/>s once before the first connection is handed out.
/// </summary>
/// <remarks>
/// Checkpoints (copying the WAL into the database file, with an fsync) run in the background every
/// <see cref="CheckpointInterval"/>, not in the writer. SQLite's default runs one inside whichever commit takes the WAL
/// past 1,000 pages, and under load that was about 24 commits a second taking over 5 ms, each holding up every turn
/// waiting on the writer. A background checkpoint is PASSIVE: it never blocks the writer or readers. The writer still
/// checkpoints past 10,000 pages as a safety net (the WAL can only restart after a checkpoint that caught up, which the
/// writer's own achieves), and that checkpoint finds most pages already copied. Dialog bench, 4 alternating pairs (every
/// 250 ms): 2,556–3,070 turns/s against 2,014–2,228 before, at 0.48–0.57 against 0.56–0.60 ms of CPU per turn; every
/// 100 ms then gave a steadier p99 (26–32 against 32–37 ms).
/// </remarks>
public sealed class SqliteDatabase : IDisposable, IAsyncDisposable
{
    private const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerAll = OwnerReadWrite | UnixFileMode.UserExecute;
    private const UnixFileMode GroupOrOther =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
        UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    private readonly IReadOnlyList<SqliteMigration> _migrations;
    private readonly ILogger<SqliteDatabase> _logger;
    private readonly TimeProvider _timeProvider;
    private readonly string _connectionPragmas;
    private static readonly object ConfiguredMarker = new();
    private readonly SemaphoreSlim _initializationLock = new(1, 1);

    // Native connections (kept alive by the pool) that already have the per-connection pragmas.
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<SQLitePCL.sqlite3, object> _configuredHandles = new();
    private volatile bool _initialized;
    private readonly SqliteWriteQueue _writes;
    private readonly CancellationTokenSource _stopping = new();
    private Task _checkpoints = Task.CompletedTask;

    /// <summary>Creates the database service. Nothing touches the disk until first use.</summary>
    public SqliteDatabase(
        IOptions<StorageOptions> options,
        IEnumerable<SqliteMigration> migrations,
        ILogger<SqliteDatabase>? logger = null,
        TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(migrations);
        var sqlite = options.Value.Sqlite ?? throw new ArgumentException("Storage:Sqlite options are missing.", nameof(options));
        ArgumentException.ThrowIfNullOrWhiteSpace(sqlite.Path, "Storage:Sqlite:Path");

        _migrations = OrderAndCheck(migrations);
        _logger = logger ?? NullLogger<SqliteDatabase>.Instance;
        _timeProvider = timeProvider ?? TimeProvider.System;

        FilePath = System.IO.Path.GetFullPath(sqlite.Path, Directory.GetCurrentDirectory());
        ConnectionString = new SqliteConnectionStringBuilder
        {
            DataSource = FilePath,
            // The file is created (owner-only) by this class before SQLite sees it; never let SQLite create it
            // with default permissions, e.g. if someone deletes it while the bot runs.
            Mode = OperatingSystem.IsWindows() ? SqliteOpenMode.ReadWriteCreate : SqliteOpenMode.ReadWrite,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
        }.ToString();
        _connectionPragmas = string.Create(
            CultureInfo.InvariantCulture,
            $"PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = {sqlite.BusyTimeoutMilliseconds}; PRAGMA wal_autocheckpoint = {WriterCheckpointPages};");
        _writes = new SqliteWriteQueue(OpenConnectionAsync);
    }

    /// <summary>How often the background checkpointer copies the WAL into the database file.</summary>
    public static TimeSpan CheckpointInterval { get; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The WAL size (pages) past which a writer's commit checkpoints itself: the safety net behind the background checkpoints.</summary>
    public const int WriterCheckpointPages = 10_000;

    /// <summary>Absolute path of the database file.</summary>
    public string FilePath { get; }

    /// <summary>Connection string used for every connection (pooled).</summary>
    public string ConnectionString { get; }

    /// <summary>
    /// Opens a pooled connection with the per-connection pragmas applied. The first call creates the file and
    /// applies pending migrations. Dispose the connection to return it to the pool.
    /// </summary>
    public async Task<SqliteConnection> OpenConnectionAsync(CancellationToken cancellationToken)
    {
        if (!_initialized)
        {
            await InitializeAsync(cancellationToken);
        }

        return await OpenConfiguredConnectionAsync(cancellationToken);
    }

    /// <summary>
    /// Creates the database file (owner-only) and its folder if needed, switches it to WAL and applies pending
    /// migrations. Idempotent and safe to call concurrently; <see cref="OpenConnectionAsync"/> calls it lazily.
    /// </summary>
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        if (_initialized)
        {
            return;
        }

        await _initializationLock.WaitAsync(cancellationToken);
        try
        {
            if (_initialized)
            {
                return;
            }

            PrepareFile();
            await using var connection = await OpenConfiguredConnectionAsync(cancellationToken);
            await EnableWalAsync(connection, cancellationToken);
            await ApplyMigrationsAsync(connection, cancellationToken);
            _initialized = true;
            _checkpoints = Task.Run(() => CheckpointInBackgroundAsync(_stopping.Token), CancellationToken.None);
        }
        finally
        {
            _initializationLock.Release();
        }
    }

    /// <summary>
    /// Runs <paramref name="write"/> through this process's single writer, committed together with the other writes
    /// waiting at that moment (<see cref="SqliteWriteQueue"/>); completes once committed. Reads use
    /// <see cref="OpenConnectionAsync"/>; every write of the turn path comes here, so they never wait on each other in
    /// SQLite's busy handler.
    /// </summary>
    public Task<T> WriteAsync<T>(Func<SqliteWriteContext, T> write, CancellationToken cancellationToken) =>
        _writes.WriteAsync(write, cancellationToken);

    /// <inheritdoc cref="WriteAsync{T}"/>
    public Task WriteAsync(Action<SqliteWriteContext> write, CancellationToken cancellationToken) =>
        _writes.WriteAsync(write, cancellationToken);

    /// <summary>
    /// Copies the committed pages of the WAL into the database file (a PASSIVE checkpoint: it copies what no reader
    /// still needs and never blocks the writer or readers). The background checkpointer calls it.
    /// </summary>
    public async Task CheckpointAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA wal_checkpoint(PASSIVE);";
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Commits the writes already queued, then closes this database's pooled connections.</summary>
    public async ValueTask DisposeAsync()
    {
        await StopCheckpointsAsync();
        await _writes.DisposeAsync();
        Dispose();
    }

    /// <summary>Closes this database's pooled connections (so the file can be moved or deleted), after the queued writes.</summary>
    public void Dispose()
    {
        StopCheckpointsAsync().GetAwaiter().GetResult();
        _writes.DisposeAsync().AsTask().GetAwaiter().GetResult();
        using (var connection = new SqliteConnection(ConnectionString))
        {
            SqliteConnection.ClearPool(connection);
        }

        _initializationLock.Dispose();
    }

    /// <summary>For health checks: true when the database can be opened, is initialised and answers a query.</summary>
    public async Task<bool> IsReachableAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await OpenConnectionAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT count(*) FROM schema_migrations;";
            _ = await command.ExecuteScalarAsync(cancellationToken);
            return true;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            _logger.LogWarning(ex, "SQLite database {Path} is not reachable", FilePath);
            return false;
        }
    }

    /// <summary>Ids of the migrations recorded in <c>schema_migrations</c>, in the order they were applied.</summary>
    public async Task<IReadOnlyList<string>> GetAppliedMigrationIdsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT id FROM schema_migrations ORDER BY rowid;";
        var ids = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }

    private async Task CheckpointInBackgroundAsync(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(CheckpointInterval, _timeProvider);
        var failing = false;
        try
        {
            while (await timer.WaitForNextTickAsync(stopping))
            {
                try
                {
                    await CheckpointAsync(stopping);
                    failing = false;
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // Logged once per failing spell, not ten times a second; the writer's own checkpoints still bound the WAL.
                    if (!failing)
                    {
                        _logger.LogWarning(ex, "Background checkpoint of SQLite database {Path} failed; retrying every {IntervalMs} ms", FilePath, CheckpointInterval.TotalMilliseconds);
                    }

                    failing = true;
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Disposed.
        }
    }

    private async Task StopCheckpointsAsync()
    {
        if (!_stopping.IsCancellationRequested)
        {
            await _stopping.CancelAsync();
        }

        await _checkpoints.ConfigureAwait(false);
    }

    private static List<SqliteMigration> OrderAndCheck(IEnumerable<SqliteMigration> migrations)
    {
        var byId = new Dictionary<string, SqliteMigration>(StringComparer.Ordinal);
        foreach (var migration in migrations)
        {
            ArgumentNullException.ThrowIfNull(migration);
            if (byId.TryGetValue(migration.Id, out var existing))
            {
                if (existing.Checksum != migration.Checksum)
                {
                    throw new InvalidOperationException(
                        $"Two different SQLite migrations are registered with id '{migration.Id}'.");
                }

                continue; // the same migration registered twice (e.g. AddX called twice) is harmless
            }

            byId.Add(migration.Id, migration);
        }

        return byId.Values.OrderBy(m => m.Id, StringComparer.Ordinal).ToList();
    }

    private async Task<SqliteConnection> OpenConfiguredConnectionAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);

            // Per-connection settings (journal_mode is persistent in the file and set once at initialisation).
            // A pooled connection keeps them, so they are issued once per native connection, not on every open (three
            // statements prepared and run several times a turn).
            var handle = connection.Handle;
            if (handle is not null && _configuredHandles.TryGetValue(handle, out _))
            {
                return connection;
            }

            await using var command = connection.CreateCommand();
            command.CommandText = _connectionPragmas;
            await command.ExecuteNonQueryAsync(cancellationToken);
            if (handle is not null)
            {
                _configuredHandles.AddOrUpdate(handle, ConfiguredMarker);
            }

            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private void PrepareFile()
    {
        var directory = System.IO.Path.GetDirectoryName(FilePath);
        if (!string.IsNullOrEmpty(directory) && !Directory.Exists(directory))
        {
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(directory);
            }
            else
            {
                // Only folders we create are restricted (every missing level, not just the last one, which is all
                // Directory.CreateDirectory(path, mode) restricts); an existing folder (e.g. /var/lib/x) is left alone.
                var missing = new Stack<string>();
                for (var level = directory; !string.IsNullOrEmpty(level) && !Directory.Exists(level); level = System.IO.Path.GetDirectoryName(level))
                {
                    missing.Push(level);
                }

                while (missing.TryPop(out var level))
                {
                    Directory.CreateDirectory(level, OwnerAll);
                }

                _logger.LogInformation("Created SQLite data folder {Directory}", directory);
            }
        }

        if (OperatingSystem.IsWindows())
        {
            return; // ACLs are inherited from the folder; Unix modes do not apply.
        }

        if (!File.Exists(FilePath))
        {
            try
            {
                // Create the (empty, which SQLite accepts as a new database) file with 0600 before SQLite opens it,
                // so there is no window in which the file is readable by others.
                using var stream = new FileStream(FilePath, new FileStreamOptions
                {
                    Mode = FileMode.CreateNew,
                    Access = FileAccess.Write,
                    UnixCreateMode = OwnerReadWrite,
                });
            }
            catch (IOException) when (File.Exists(FilePath))
            {
                // Created concurrently by another process; fall through to the mode check.
            }
        }

        // umask can only remove bits, but an existing file may have been created by something else.
        if ((File.GetUnixFileMode(FilePath) & GroupOrOther) != 0)
        {
            _logger.LogWarning("SQLite database {Path} was accessible to group/other; restricting it to the owner (0600)", FilePath);
        }

        File.SetUnixFileMode(FilePath, OwnerReadWrite);
    }

    private async Task EnableWalAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode = WAL;";
        var mode = Convert.ToString(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
        if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
        {
            _logger.LogWarning("SQLite database {Path} could not switch to WAL (journal_mode is {Mode})", FilePath, mode);
        }
    }

    private async Task ApplyMigrationsAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        await using (var create = connection.CreateCommand())
        {
            create.CommandText = """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    id TEXT PRIMARY KEY,
                    checksum TEXT NOT NULL,
                    applied_utc TEXT NOT NULL
                );
                """;
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        foreach (var migration in _migrations)
        {
            // BEGIN IMMEDIATE: a second process starting at the same time waits here and then sees the row.
            await using var transaction = connection.BeginTransaction(deferred: false);

            await using var find = connection.CreateCommand();
            find.Transaction = transaction;
            find.CommandText = "SELECT checksum FROM schema_migrations WHERE id = $id;";
            find.Parameters.AddWithValue("$id", migration.Id);
            var applied = (string?)await find.ExecuteScalarAsync(cancellationToken);
            if (applied is not null)
            {
                if (applied != migration.Checksum)
                {
                    throw new InvalidOperationException(
                        $"SQLite migration '{migration.Id}' was changed after it was applied to {FilePath}. " +
                        "Applied migrations must never be edited; add a new migration instead.");
                }

                continue;
            }

            await using (var apply = connection.CreateCommand())
            {
                apply.Transaction = transaction;
                apply.CommandText = migration.Sql;
                await apply.ExecuteNonQueryAsync(cancellationToken);
            }

            await using (var record = connection.CreateCommand())
            {
                record.Transaction = transaction;
                record.CommandText = "INSERT INTO schema_migrations (id, checksum, applied_utc) VALUES ($id, $checksum, $applied);";
                record.Parameters.AddWithValue("$id", migration.Id);
                record.Parameters.AddWithValue("$checksum", migration.Checksum);
                record.Parameters.AddWithValue("$applied", _timeProvider.GetUtcNow().UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
                await record.ExecuteNonQueryAsync(cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
            _logger.LogInformation("Applied SQLite migration {Migration} to {Path}", migration.Id, FilePath);
        }
    }
}
