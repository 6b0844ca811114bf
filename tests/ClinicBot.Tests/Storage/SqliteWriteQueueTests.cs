using ClinicBot.Bot.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace ClinicBot.Tests.Storage;

/// <summary>
/// The database's single writer (<see cref="SqliteWriteQueue"/>) commits concurrent writes together; each caller must
/// still see exactly its own outcome, and a completed write must be durable and visible to other connections.
/// </summary>
public sealed class SqliteWriteQueueTests : IDisposable
{
    private static readonly SqliteMigration Notes = new("9000_test_notes", "CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL);");
    private readonly SqliteTestDatabase _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public async Task ConcurrentWritesAreAllCommittedAndVisibleToOtherConnectionsOnceTheyComplete()
    {
        var database = _files.Open(Notes);
        var writes = Enumerable.Range(1, 300).Select(id => Task.Run(async () =>
        {
            await database.WriteAsync(write => Insert(write, id), CancellationToken.None);

            // Completed means committed: a fresh connection of another database object sees the row.
            Assert.True(await ExistsAsync(id));
        }));

        await Task.WhenAll(writes);
        Assert.Equal(300, await CountAsync());
    }

    [Fact]
    public async Task AWriteThatThrowsFailsAloneAndLeavesNothingBehind()
    {
        var database = _files.Open(Notes);
        using var holdWriter = new ManualResetEventSlim();
        var blocker = database.WriteAsync(write =>
        {
            holdWriter.Wait(TimeSpan.FromSeconds(10));
            Insert(write, 1);
        }, CancellationToken.None);

        // Queued while the writer is busy, so they share the next transaction.
        var before = database.WriteAsync(write => Insert(write, 2), CancellationToken.None);
        var failing = database.WriteAsync<int>(write =>
        {
            Insert(write, 3);
            throw new InvalidOperationException("the caller's own error");
        }, CancellationToken.None);
        var after = database.WriteAsync(write => Insert(write, 4), CancellationToken.None);
        holdWriter.Set();

        await Task.WhenAll(blocker, before, after);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => failing);
        Assert.Equal("the caller's own error", error.Message);
        Assert.Equal([1, 2, 4], await IdsAsync());
    }

    [Fact]
    public async Task AConstraintViolationReachesItsCallerAsSqliteException()
    {
        var database = _files.Open(Notes);
        await database.WriteAsync(write => Insert(write, 7), CancellationToken.None);

        await Assert.ThrowsAsync<SqliteException>(() => database.WriteAsync(write => Insert(write, 7), CancellationToken.None));
        await database.WriteAsync(write => Insert(write, 8), CancellationToken.None);

        Assert.Equal([7, 8], await IdsAsync());
    }

    [Fact]
    public async Task AWriteCancelledBeforeItRanIsNeverRun()
    {
        var database = _files.Open(Notes);
        using var holdWriter = new ManualResetEventSlim();
        using var cancel = new CancellationTokenSource();
        var blocker = database.WriteAsync(write =>
        {
            holdWriter.Wait(TimeSpan.FromSeconds(10));
            Insert(write, 1);
        }, CancellationToken.None);
        var cancelled = database.WriteAsync(write => Insert(write, 2), cancel.Token);

        await cancel.CancelAsync();
        holdWriter.Set();

        await blocker;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        Assert.Equal([1], await IdsAsync());
    }

    [Fact]
    public async Task DisposingTheDatabaseCommitsTheWritesAlreadyQueued()
    {
        var database = _files.Open(Notes);
        var queued = Enumerable.Range(1, 50).Select(id => database.WriteAsync(write => Insert(write, id), CancellationToken.None)).ToList();

        await database.DisposeAsync();

        await Task.WhenAll(queued);
        Assert.Equal(50, await CountAsync());
        await Assert.ThrowsAsync<ObjectDisposedException>(() => database.WriteAsync(write => Insert(write, 51), CancellationToken.None));
    }

    [Fact]
    public async Task WritesWaitForAnotherProcessHoldingTheWriteLockInsteadOfFailing()
    {
        var database = _files.Open(Notes);
        await database.InitializeAsync(CancellationToken.None);

        // Another process (here: a raw connection) holds the write lock for a moment.
        await using var other = new SqliteConnection(database.ConnectionString);
        await other.OpenAsync();
        await using (var begin = other.CreateCommand())
        {
            begin.CommandText = "BEGIN IMMEDIATE; INSERT INTO notes (id, text) VALUES (100, 'other process');";
            await begin.ExecuteNonQueryAsync();
        }

        var write = database.WriteAsync(write => Insert(write, 1), CancellationToken.None);
        await Task.Delay(200);
        Assert.False(write.IsCompleted);

        await using (var commit = other.CreateCommand())
        {
            commit.CommandText = "COMMIT;";
            await commit.ExecuteNonQueryAsync();
        }

        await write;
        Assert.Equal([1, 100], await IdsAsync());
    }

    [Fact]
    public async Task TheWalIsCopiedIntoTheDatabaseFileInTheBackgroundNotByTheWritersCommits()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        var database = _files.OpenWithClock(time, Notes);
        await database.InitializeAsync(CancellationToken.None);

        // About 100 pages of rows: far below the 1,000 at which SQLite's own commits would checkpoint.
        await Task.WhenAll(Enumerable.Range(1, 200).Select(id => database.WriteAsync(write => Insert(write, id, new string('x', 2000)), CancellationToken.None)));
        var committed = new FileInfo(_files.FilePath).Length;
        Assert.True(committed < 200 * 2000, $"the rows are still only in the WAL ({committed} B in the database file)");

        time.Advance(SqliteDatabase.CheckpointInterval);

        Assert.True(
            SpinWait.SpinUntil(() => new FileInfo(_files.FilePath).Length > 200 * 2000, TimeSpan.FromSeconds(10)),
            $"the database file holds {new FileInfo(_files.FilePath).Length} B after the background checkpoint");
        Assert.Equal(200, await CountAsync());
    }

    private static void Insert(SqliteWriteContext write, int id, string? text = null)
    {
        var command = write.Command("INSERT INTO notes (id, text) VALUES ($id, $text)");
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$text", text ?? "note " + id);
        command.ExecuteNonQuery();
    }

    private async Task<bool> ExistsAsync(int id) => (await IdsAsync()).Contains(id);

    private async Task<int> CountAsync() => (await IdsAsync()).Count;

    private async Task<List<int>> IdsAsync()
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = _files.FilePath, Pooling = false }.ToString());
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT id FROM notes ORDER BY id";
        var ids = new List<int>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetInt32(0));
        }

        return ids;
    }
}
