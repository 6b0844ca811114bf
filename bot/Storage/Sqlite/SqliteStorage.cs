using System.Globalization;
using ClinicBot.Dialogs.State;
using Microsoft.Bot.Builder;
using Microsoft.Data.Sqlite;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace ClinicBot.Bot.Storage.Sqlite;

/// <summary>
/// Bot Framework <see cref="IStorage"/> backed by the <c>bot_state</c> table of <see cref="SqliteDatabase"/>.
/// </summary>
/// <remarks>
/// <para>Documents are <see cref="StateJson"/> text (which Bot Builder's own serializer reads too), so reads return the same CLR types that
/// were written. <see cref="StateStore"/> reads and writes that text as is (<see cref="IStateDocumentStorage"/>).</para>
/// <para>ETags (only for values implementing <see cref="IStoreItem"/>; everything else is last-writer-wins):
/// every write stores a new ETag; a write with ETag <c>"*"</c> or <c>null</c> overwrites unconditionally; any other
/// ETag must equal the stored one (or the key must be absent, or hold a value written without an ETag), otherwise
/// the write throws <see cref="ArgumentException"/> "Etag conflict..." like MemoryStorage. Note MemoryStorage
/// itself treats a null ETag on an existing key as a conflict; Bot Builder's Cosmos DB and Blob storages, and this
/// class, treat it as "overwrite".</para>
/// <para>A <see cref="WriteAsync"/> batch is one transaction: a conflict on any key rolls back the whole batch
/// (MemoryStorage keeps the entries before the conflicting one). The ETag check and the write happen inside the
/// database writer's <c>BEGIN IMMEDIATE</c> transaction (<see cref="SqliteDatabase.WriteAsync{T}"/>, shared with the
/// other writes waiting at that moment), so concurrent writers, in this or another process, cannot both win.</para>
/// </remarks>
public sealed class SqliteStorage : IStorage, IStateDocumentStorage
{
    /// <summary>Creates the <c>bot_state</c> table. Registered by AddClinicBotStorage.</summary>
    public static readonly SqliteMigration Migration = new(
        "0001_bot_state",
        """
        CREATE TABLE bot_state (
            key TEXT PRIMARY KEY,
            etag TEXT NOT NULL,
            document TEXT NOT NULL,
            updated_utc TEXT NOT NULL
        );
        """);

    // Stored in the etag column for values written without ETag semantics (non-IStoreItem): such rows never conflict.
    private const string NoETag = "";

    private const string SelectSql = "SELECT etag, document FROM bot_state WHERE key = $key;";
    private const string SelectETagSql = "SELECT etag FROM bot_state WHERE key = $key;";
    private const string DeleteSql = "DELETE FROM bot_state WHERE key = $key;";
    private const string UpsertSql = """
        INSERT INTO bot_state (key, etag, document, updated_utc) VALUES ($key, $etag, $document, $updated)
        ON CONFLICT (key) DO UPDATE SET etag = excluded.etag, document = excluded.document, updated_utc = excluded.updated_utc;
        """;

    private readonly SqliteDatabase _database;
    private readonly TimeProvider _timeProvider;

    /// <summary>Creates the storage.</summary>
    public SqliteStorage(SqliteDatabase database, TimeProvider? timeProvider = null)
    {
        _database = database ?? throw new ArgumentNullException(nameof(database));
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <inheritdoc />
    public async Task<IDictionary<string, object>> ReadAsync(string[] keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var items = new Dictionary<string, object>(keys.Length);
        foreach (var (key, etag, document) in await ReadRowsAsync(keys, cancellationToken))
        {
            var value = StateJson.Deserialize(document);
            if (value is IStoreItem storeItem && etag != NoETag)
            {
                storeItem.ETag = etag;
            }

            items[key] = value;
        }

        return items;
    }

    /// <inheritdoc />
    public async Task WriteAsync(IDictionary<string, object> changes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(changes);
        if (changes.Count == 0)
        {
            return;
        }

        // Serialise before queueing: keeps the group transaction short and a serialisation error writes nothing.
        var rows = new List<(string Key, bool IsStoreItem, string? ExpectedETag, bool CheckETag, string? Document)>(changes.Count);
        foreach (var (key, value) in changes)
        {
            ArgumentNullException.ThrowIfNull(key, nameof(changes));
            if (value is null)
            {
                rows.Add((key, false, null, false, null)); // MemoryStorage stores null, which then reads as "absent".
                continue;
            }

            if (value is IStoreItem storeItem)
            {
                var document = StateJson.ToJObject(value);
                RemoveETagProperties(document); // the ETag lives in its own column and is set on read
                rows.Add((key, true, storeItem.ETag, storeItem.ETag is not null && storeItem.ETag != "*", document.ToString(Formatting.None)));
            }
            else
            {
                // Bot state (a plain dictionary) is written straight to text: no intermediate JObject tree per turn.
                rows.Add((key, false, null, false, StateJson.Serialize(value)));
            }
        }

        var updated = _timeProvider.GetUtcNow().UtcDateTime.ToString("O", CultureInfo.InvariantCulture);
        await _database.WriteAsync(write => WriteRows(write, rows, updated), cancellationToken);
    }

    // Runs inside the writer's transaction: a conflict throws, which rolls back this batch's rows and nothing else.
    private static void WriteRows(
        SqliteWriteContext write,
        List<(string Key, bool IsStoreItem, string? ExpectedETag, bool CheckETag, string? Document)> rows,
        string updated)
    {
        foreach (var (key, isStoreItem, expectedETag, checkETag, document) in rows)
        {
            if (document is null)
            {
                var delete = write.Command(DeleteSql);
                delete.Parameters.AddWithValue("$key", key);
                delete.ExecuteNonQuery();
                continue;
            }

            if (checkETag)
            {
                var selectETag = write.Command(SelectETagSql);
                selectETag.Parameters.AddWithValue("$key", key);
                var currentETag = (string?)selectETag.ExecuteScalar();
                if (currentETag is not null && currentETag != NoETag && currentETag != expectedETag)
                {
                    throw new ArgumentException($"Etag conflict.\r\n\r\nOriginal: {expectedETag}\r\nCurrent: {currentETag}");
                }
            }

            var upsert = write.Command(UpsertSql);
            upsert.Parameters.AddWithValue("$key", key);
            upsert.Parameters.AddWithValue("$etag", isStoreItem ? NewETag() : NoETag);
            upsert.Parameters.AddWithValue("$document", document);
            upsert.Parameters.AddWithValue("$updated", updated);
            upsert.ExecuteNonQuery();
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyDictionary<string, string>> ReadDocumentsAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        return (await ReadRowsAsync(keys, cancellationToken)).ToDictionary(row => row.Key, row => row.Document, StringComparer.Ordinal);
    }

    private async Task<List<(string Key, string ETag, string Document)>> ReadRowsAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        var rows = new List<(string Key, string ETag, string Document)>(keys.Count);
        if (keys.Count == 0)
        {
            return rows;
        }

        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var select = Prepare(connection, null, SelectSql, out var keyParameter);
        foreach (var key in keys)
        {
            ArgumentNullException.ThrowIfNull(key, nameof(keys));
            keyParameter.Value = key;
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            if (await reader.ReadAsync(cancellationToken))
            {
                rows.Add((key, reader.GetString(0), reader.GetString(1)));
            }
        }

        return rows;
    }

    /// <inheritdoc />
    public Task WriteDocumentsAsync(IReadOnlyDictionary<string, string> documents, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(documents);
        if (documents.Count == 0)
        {
            return Task.CompletedTask;
        }

        var rows = new List<(string Key, bool IsStoreItem, string? ExpectedETag, bool CheckETag, string? Document)>(documents.Count);
        foreach (var (key, document) in documents)
        {
            ArgumentNullException.ThrowIfNull(key, nameof(documents));
            ArgumentNullException.ThrowIfNull(document, nameof(documents));
            rows.Add((key, false, null, false, document));
        }

        var updated = _timeProvider.GetUtcNow().UtcDateTime.ToString("O", CultureInfo.InvariantCulture);
        return _database.WriteAsync(write => WriteRows(write, rows, updated), cancellationToken);
    }

    /// <inheritdoc />
    public async Task DeleteAsync(string[] keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        if (keys.Length == 0)
        {
            return;
        }

        foreach (var key in keys)
        {
            ArgumentNullException.ThrowIfNull(key, nameof(keys));
        }

        await _database.WriteAsync(write =>
        {
            var delete = write.Command(DeleteSql);
            foreach (var key in keys)
            {
                delete.Parameters.Clear();
                delete.Parameters.AddWithValue("$key", key);
                delete.ExecuteNonQuery();
            }
        }, cancellationToken);
    }

    // Creates and prepares a command whose parameters are all TEXT; callers set values and execute it once per key.
    private static SqliteCommand Prepare(
        SqliteConnection connection, SqliteTransaction? transaction, string sql, out SqliteParameter keyParameter, params string[] otherParameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        keyParameter = command.Parameters.Add("$key", SqliteType.Text);
        foreach (var name in otherParameters)
        {
            command.Parameters.Add(name, SqliteType.Text);
        }

        command.Prepare();
        return command;
    }

    private static string NewETag() => Guid.NewGuid().ToString("N");

    private static void RemoveETagProperties(JObject document)
    {
        foreach (var property in document.Properties().Where(p => string.Equals(p.Name, "ETag", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            property.Remove();
        }
    }
}
