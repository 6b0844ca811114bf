using ClinicBot.Bot.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using static ClinicBot.Tests.Storage.StorageContractTests;

namespace ClinicBot.Tests.Storage;

/// <summary>Behaviour specific to the SQLite backend: durability, file permissions, pragmas, migrations.</summary>
public sealed class SqliteStorageTests : IDisposable
{
    private const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private readonly SqliteTestDatabase _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public async Task StateSurvivesReopeningTheDatabase()
    {
        var first = _files.Open();
        await new SqliteStorage(first).WriteAsync(
            new Dictionary<string, object> { ["user/1"] = new PocoStoreItem { Id = "patient", Count = 41 } },
            CancellationToken.None);
        var written = (PocoStoreItem)(await new SqliteStorage(first).ReadAsync(["user/1"], CancellationToken.None))["user/1"];
        first.Dispose(); // closes the pooled connections, like a process exit

        var reopened = new SqliteStorage(_files.Open());
        var read = (PocoStoreItem)(await reopened.ReadAsync(["user/1"], CancellationToken.None))["user/1"];

        Assert.Equal(("patient", 41), (read.Id, read.Count));
        Assert.Equal(written.ETag, read.ETag);

        // The ETag check still applies after reopening.
        var ex = await Assert.ThrowsAsync<ArgumentException>(() => reopened.WriteAsync(
            new Dictionary<string, object> { ["user/1"] = new PocoStoreItem { Id = "patient", Count = 1, ETag = "stale" } },
            CancellationToken.None));
        Assert.Contains("Etag conflict", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DatabaseFileIsOwnerOnly()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // Unix permissions only.
        }

        var folder = Path.Combine(_files.Folder, "nested", "data");
        var path = Path.Combine(folder, "clinicbot.db");
        var database = _files.Open(path);
        var storage = new SqliteStorage(database);

        // Keep a connection open so the WAL and shared-memory files exist while we look at them.
        await using var connection = await database.OpenConnectionAsync(CancellationToken.None);
        await storage.WriteAsync(new Dictionary<string, object> { ["k"] = new PocoItem { Id = "1" } }, CancellationToken.None);

        Assert.Equal(OwnerReadWrite, File.GetUnixFileMode(path));
        Assert.True(File.Exists(path + "-wal"));
        Assert.Equal(OwnerReadWrite, File.GetUnixFileMode(path + "-wal"));
        Assert.Equal(OwnerReadWrite, File.GetUnixFileMode(path + "-shm"));
        var ownerOnlyFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        Assert.Equal(ownerOnlyFolder, File.GetUnixFileMode(folder));
        Assert.Equal(ownerOnlyFolder, File.GetUnixFileMode(Path.GetDirectoryName(folder)!));
    }

    [Fact]
    public async Task AnExistingWorldReadableDatabaseIsRestrictedToTheOwner()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        Directory.CreateDirectory(_files.Folder);
        await File.WriteAllBytesAsync(_files.FilePath, []);
        File.SetUnixFileMode(_files.FilePath, OwnerReadWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        await _files.Open().InitializeAsync(CancellationToken.None);

        Assert.Equal(OwnerReadWrite, File.GetUnixFileMode(_files.FilePath));
    }

    [Fact]
    public async Task UsesWalJournalMode()
    {
        var database = _files.Open();
        await using var connection = await database.OpenConnectionAsync(CancellationToken.None);

        Assert.Equal("wal", await ScalarAsync(connection, "PRAGMA journal_mode;"));
        Assert.Equal(1L, await ScalarAsync(connection, "PRAGMA synchronous;")); // 1 = NORMAL
        Assert.Equal(1L, await ScalarAsync(connection, "PRAGMA foreign_keys;"));
        Assert.Equal(5000L, await ScalarAsync(connection, "PRAGMA busy_timeout;"));
        Assert.Contains("Pooling=True", database.ConnectionString, StringComparison.OrdinalIgnoreCase);

        // WAL is a property of the file: a plain connection that applies no pragmas sees it too.
        await using var plain = new SqliteConnection($"Data Source={database.FilePath};Pooling=False");
        await plain.OpenAsync();
        Assert.Equal("wal", await ScalarAsync(plain, "PRAGMA journal_mode;"));
    }

    [Fact]
    public async Task MigrationsAreAppliedOnceInIdOrder()
    {
        // Registered out of order on purpose: 0200 needs the table 0100 creates.
        var migrations = new[]
        {
            new SqliteMigration("0200_follow_up_notes", "ALTER TABLE follow_ups ADD COLUMN note TEXT; INSERT INTO follow_ups (id, note) VALUES (2, 'second');"),
            new SqliteMigration("0100_follow_ups", "CREATE TABLE follow_ups (id INTEGER PRIMARY KEY); INSERT INTO follow_ups (id) VALUES (1);"),
        };

        var first = _files.Open(migrations);
        await first.InitializeAsync(CancellationToken.None);
        await first.InitializeAsync(CancellationToken.None);
        var second = _files.Open(migrations); // e.g. the next process start
        await second.InitializeAsync(CancellationToken.None);

        Assert.Equal(["0001_bot_state", "0100_follow_ups", "0200_follow_up_notes"], await second.GetAppliedMigrationIdsAsync(CancellationToken.None));
        await using var connection = await second.OpenConnectionAsync(CancellationToken.None);
        Assert.Equal(2L, await ScalarAsync(connection, "SELECT count(*) FROM follow_ups;")); // inserts ran once
        Assert.Equal(3L, await ScalarAsync(connection, "SELECT count(*) FROM schema_migrations;"));
    }

    [Fact]
    public async Task MigrationsRegisteredLaterAreAppliedOnTheNextStart()
    {
        await _files.Open().InitializeAsync(CancellationToken.None);

        var upgraded = _files.Open(new SqliteMigration("0100_cases", "CREATE TABLE cases (id TEXT PRIMARY KEY);"));
        await upgraded.InitializeAsync(CancellationToken.None);

        Assert.Equal(["0001_bot_state", "0100_cases"], await upgraded.GetAppliedMigrationIdsAsync(CancellationToken.None));
    }

    [Fact]
    public async Task AFailingMigrationIsRolledBackAndNotRecorded()
    {
        var broken = new SqliteMigration("0100_broken", "CREATE TABLE half_done (id INTEGER); SELECT * FROM no_such_table;");
        var database = _files.Open(broken);

        await Assert.ThrowsAsync<SqliteException>(() => database.InitializeAsync(CancellationToken.None));

        var fixedDatabase = _files.Open();
        Assert.Equal(["0001_bot_state"], await fixedDatabase.GetAppliedMigrationIdsAsync(CancellationToken.None));
        await using var connection = await fixedDatabase.OpenConnectionAsync(CancellationToken.None);
        Assert.Equal(0L, await ScalarAsync(connection, "SELECT count(*) FROM sqlite_master WHERE name = 'half_done';"));
    }

    [Fact]
    public async Task EditingAnAppliedMigrationIsRejected()
    {
        await _files.Open(new SqliteMigration("0100_cases", "CREATE TABLE cases (id TEXT PRIMARY KEY);")).InitializeAsync(CancellationToken.None);

        var edited = _files.Open(new SqliteMigration("0100_cases", "CREATE TABLE cases (id TEXT PRIMARY KEY, extra TEXT);"));

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => edited.InitializeAsync(CancellationToken.None));
        Assert.Contains("0100_cases", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TwoDifferentMigrationsWithTheSameIdAreRejected()
    {
        Assert.Throws<InvalidOperationException>(() => _files.Open(
            new SqliteMigration("0100_x", "CREATE TABLE x (id INTEGER);"),
            new SqliteMigration("0100_x", "CREATE TABLE y (id INTEGER);")));
    }

    [Fact]
    public async Task ABatchWithAConflictWritesNothing()
    {
        var storage = new SqliteStorage(_files.Open());
        await storage.WriteAsync(new Dictionary<string, object> { ["a"] = new PocoStoreItem { Count = 1 }, ["b"] = new PocoStoreItem { Count = 1 } }, CancellationToken.None);

        await Assert.ThrowsAsync<ArgumentException>(() => storage.WriteAsync(
            new Dictionary<string, object>
            {
                ["a"] = new PocoStoreItem { Count = 2, ETag = "*" },
                ["new"] = new PocoItem { Count = 2 },
                ["b"] = new PocoStoreItem { Count = 2, ETag = "stale" },
            },
            CancellationToken.None));

        var result = await storage.ReadAsync(["a", "b", "new"], CancellationToken.None);
        Assert.Equal(1, ((PocoStoreItem)result["a"]).Count);
        Assert.Equal(1, ((PocoStoreItem)result["b"]).Count);
        Assert.False(result.ContainsKey("new"));
    }

    [Fact]
    public async Task WritersInDifferentProcessesCannotBothWinTheSameETag()
    {
        // Two SqliteDatabase instances = two connection pools, as two processes sharing the file would have.
        var storageA = new SqliteStorage(_files.Open());
        var storageB = new SqliteStorage(_files.Open());
        await storageA.WriteAsync(new Dictionary<string, object> { ["k"] = new PocoStoreItem { Count = 0 } }, CancellationToken.None);
        var etag = ((PocoStoreItem)(await storageA.ReadAsync(["k"], CancellationToken.None))["k"]).ETag;

        var results = await Task.WhenAll(Enumerable.Range(1, 10).Select(i => Task.Run(async () =>
        {
            try
            {
                await (i % 2 == 0 ? storageA : storageB).WriteAsync(
                    new Dictionary<string, object> { ["k"] = new PocoStoreItem { Count = i, ETag = etag } }, CancellationToken.None);
                return true;
            }
            catch (ArgumentException)
            {
                return false;
            }
        })));

        Assert.Single(results, won => won);
    }

    [Fact]
    public async Task WritersQueuedBehindAnotherWriterResolveByETagNotByLockErrors()
    {
        var database = _files.Open();
        var storage = new SqliteStorage(database);
        await storage.WriteAsync(new Dictionary<string, object> { ["k"] = new PocoStoreItem { Count = 0 } }, CancellationToken.None);
        var etag = ((PocoStoreItem)(await storage.ReadAsync(["k"], CancellationToken.None))["k"]).ETag;

        // Another writer (think: a second process) holds the write lock while all our writers start, so they
        // really overlap. The ETag check must happen under the write lock, or they would race on stale reads.
        await using var blocker = new SqliteConnection($"Data Source={database.FilePath};Pooling=False");
        await blocker.OpenAsync();
        var lockHolder = blocker.BeginTransaction(deferred: false);
        var writers = Enumerable.Range(1, 6).Select(i => Task.Run(async () =>
        {
            try
            {
                await storage.WriteAsync(new Dictionary<string, object> { ["k"] = new PocoStoreItem { Count = i, ETag = etag } }, CancellationToken.None);
                return (Exception?)null;
            }
            catch (Exception ex)
            {
                return ex;
            }
        })).ToList();
        await Task.Delay(300);
        lockHolder.Commit();
        var errors = await Task.WhenAll(writers);

        Assert.Single(errors, e => e is null);
        Assert.All(errors.Where(e => e is not null), e => Assert.IsType<ArgumentException>(e));
    }

    [Fact]
    public async Task StoredRowsHaveTheDocumentedShape()
    {
        var database = _files.Open();
        await new SqliteStorage(database).WriteAsync(
            new Dictionary<string, object> { ["store"] = new PocoStoreItem { Id = "1", ETag = "*" }, ["plain"] = new PocoItem { Id = "2" } },
            CancellationToken.None);

        await using var connection = await database.OpenConnectionAsync(CancellationToken.None);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT key, etag, document, updated_utc FROM bot_state ORDER BY key;";
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<(string Key, string ETag, string Document, string Updated)>();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3)));
        }

        Assert.Equal(["plain", "store"], rows.Select(r => r.Key));
        Assert.Equal(string.Empty, rows[0].ETag); // no ETag semantics for non-IStoreItem values
        Assert.Matches("^[0-9a-f]{32}$", rows[1].ETag);
        Assert.DoesNotContain("\"ETag\"", rows[1].Document, StringComparison.OrdinalIgnoreCase); // only in the column
        Assert.Contains("\"$type\"", rows[1].Document, StringComparison.Ordinal);
        Assert.All(rows, r => Assert.True(DateTime.TryParse(r.Updated, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.RoundtripKind, out var t) && t.Kind == DateTimeKind.Utc));
    }

    [Fact]
    public async Task IsReachableReportsAHealthyDatabase()
    {
        Assert.True(await _files.Open().IsReachableAsync(CancellationToken.None));
    }

    [Fact]
    public async Task IsReachableReportsFalseWhenTheFileCannotBeOpened()
    {
        Directory.CreateDirectory(_files.Folder);
        var blocker = Path.Combine(_files.Folder, "not-a-folder");
        await File.WriteAllTextAsync(blocker, "x");

        Assert.False(await _files.Open(Path.Combine(blocker, "clinicbot.db")).IsReachableAsync(CancellationToken.None));
    }

    private static async Task<object?> ScalarAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    }
}
