using ClinicBot.Bot.Hosting;
using Microsoft.Data.Sqlite;

namespace ClinicBot.Bot.Storage.Sqlite;

/// <summary>
/// Every write of this process to the ClinicBot database goes through one writer that commits the writes waiting at
/// that moment together (group commit). A turn writes several small rows (delivery record, transcript, state); as
/// separate transactions from concurrent turns they queued in SQLite's busy handler, which sleeps 1–100 ms between
/// retries, and each commit appended its own copies of the same hot pages to the WAL. A caller's task completes only
/// after the transaction holding its write committed, so durability is what it was with one transaction per write.
/// </summary>
/// <remarks>
/// A write is a synchronous delegate over <see cref="SqliteWriteContext"/> (Microsoft.Data.Sqlite runs statements
/// synchronously anyway). It must only touch the database and must not begin transactions: when one write of a batch
/// throws, the batch is rolled back and each of its writes runs again in a transaction of its own, so the failure is
/// the failing caller's alone. <c>BEGIN IMMEDIATE</c> with the busy timeout still guards against other processes.
/// </remarks>
public sealed class SqliteWriteQueue : IAsyncDisposable
{
    /// <summary>Most writes one transaction carries; bounds how long a reader of the WAL waits for a commit.</summary>
    public const int MaxBatch = 256;

    private readonly Func<CancellationToken, Task<SqliteConnection>> _open;
    private readonly BatchingWorker<PendingWrite> _writer;
    private SqliteConnection? _connection;
    private SqliteWriteContext? _context;

    public SqliteWriteQueue(Func<CancellationToken, Task<SqliteConnection>> open)
    {
        _open = open ?? throw new ArgumentNullException(nameof(open));
        _writer = new BatchingWorker<PendingWrite>(MaxBatch, CommitBatchAsync, pending => pending.CancelIfRequested());
    }

    /// <summary>Runs <paramref name="write"/> in the next group transaction; completes once that transaction committed.</summary>
    public Task<T> WriteAsync<T>(Func<SqliteWriteContext, T> write, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(write);
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<T>(cancellationToken);
        }

        var pending = new PendingWrite<T>(write, cancellationToken);
        return _writer.TryQueue(pending)
            ? pending.Task
            : Task.FromException<T>(new ObjectDisposedException(nameof(SqliteWriteQueue)));
    }

    /// <summary>Runs <paramref name="write"/> in the next group transaction; completes once that transaction committed.</summary>
    public Task WriteAsync(Action<SqliteWriteContext> write, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(write);
        return WriteAsync(context =>
        {
            write(context);
            return true;
        }, cancellationToken);
    }

    /// <summary>Stops taking writes, waits until the ones already queued are committed and closes the connection.</summary>
    public async ValueTask DisposeAsync()
    {
        await _writer.DisposeAsync().ConfigureAwait(false);
        await CloseAsync().ConfigureAwait(false);
    }

    // Runs on the single worker, so the connection and its context need no lock.
    private async Task CommitBatchAsync(List<PendingWrite> batch)
    {
        try
        {
            if (_context is null)
            {
                _connection = await _open(CancellationToken.None).ConfigureAwait(false);
                _context = new SqliteWriteContext(_connection);
            }

            Commit(_context, batch);
        }
        catch (Exception ex)
        {
            // The connection could not be opened or a transaction could not begin or commit (another process
            // held the lock past the busy timeout, disk full...): none of these writes happened.
            foreach (var write in batch)
            {
                write.Fail(ex);
            }

            await CloseAsync().ConfigureAwait(false);
        }
    }

    private async Task CloseAsync()
    {
        _context?.Dispose();
        _context = null;
        if (_connection is not null)
        {
            await _connection.DisposeAsync().ConfigureAwait(false);
            _connection = null;
        }
    }

    private static void Commit(SqliteWriteContext context, List<PendingWrite> batch)
    {
        context.Execute("BEGIN IMMEDIATE;");
        var failed = false;
        try
        {
            foreach (var write in batch)
            {
                if (!write.TryRun(context))
                {
                    failed = true;
                    break;
                }
            }
        }
        catch
        {
            context.RollbackIfOpen();
            throw;
        }

        if (!failed)
        {
            context.Execute("COMMIT;");
            foreach (var write in batch)
            {
                write.Complete();
            }

            return;
        }

        // One write threw: undo the batch and give every write a transaction of its own, so only the failing one fails.
        context.RollbackIfOpen();
        foreach (var write in batch)
        {
            context.Execute("BEGIN IMMEDIATE;");
            if (write.TryRun(context))
            {
                context.Execute("COMMIT;");
                write.Complete();
            }
            else
            {
                context.RollbackIfOpen();
                write.FailWithOwnError();
            }
        }
    }

    private abstract class PendingWrite
    {
        /// <summary>Runs the write; false when it threw (the error is kept for <see cref="FailWithOwnError"/>).</summary>
        public abstract bool TryRun(SqliteWriteContext context);

        public abstract void Complete();

        public abstract void FailWithOwnError();

        public abstract void Fail(Exception exception);

        /// <summary>True (and the caller's task cancelled) when the caller gave up before the write ran.</summary>
        public abstract bool CancelIfRequested();
    }

    private sealed class PendingWrite<T>(Func<SqliteWriteContext, T> write, CancellationToken cancellationToken) : PendingWrite
    {
        private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T _result = default!;
        private Exception? _error;

        public Task<T> Task => _completion.Task;

        public override bool TryRun(SqliteWriteContext context)
        {
            try
            {
                _result = write(context);
                _error = null;
                return true;
            }
            catch (Exception ex)
            {
                _error = ex;
                return false;
            }
        }

        public override void Complete() => _completion.TrySetResult(_result);

        public override void FailWithOwnError() => _completion.TrySetException(_error!);

        public override void Fail(Exception exception) => _completion.TrySetException(exception);

        public override bool CancelIfRequested() =>
            cancellationToken.IsCancellationRequested && _completion.TrySetCanceled(cancellationToken);
    }
}

/// <summary>
/// What a write delegate of <see cref="SqliteWriteQueue"/> works with: the writer's connection, inside the group
/// transaction, and its statements, prepared once per SQL text and reused for the life of the connection.
/// </summary>
public sealed class SqliteWriteContext : IDisposable
{
    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);

    internal SqliteWriteContext(SqliteConnection connection) => Connection = connection;

    /// <summary>The writer's connection; a transaction is open on it.</summary>
    public SqliteConnection Connection { get; }

    /// <summary>A prepared command for <paramref name="sql"/> with no parameters bound; valid until the delegate returns.</summary>
    public SqliteCommand Command(string sql)
    {
        ArgumentException.ThrowIfNullOrEmpty(sql);
        if (!_commands.TryGetValue(sql, out var command))
        {
            command = Connection.CreateCommand();
            command.CommandText = sql;
            _commands.Add(sql, command);
        }

        command.Parameters.Clear();
        return command;
    }

    internal void Execute(string sql) => Command(sql).ExecuteNonQuery();

    /// <summary>Rolls back the open transaction; SQLite may already have ended it itself (e.g. on a full disk).</summary>
    internal void RollbackIfOpen()
    {
        if (Connection.Handle is { } handle && SQLitePCL.raw.sqlite3_get_autocommit(handle) == 0)
        {
            Execute("ROLLBACK;");
        }
    }

    public void Dispose()
    {
        foreach (var command in _commands.Values)
        {
            command.Dispose();
        }

        _commands.Clear();
    }
}
