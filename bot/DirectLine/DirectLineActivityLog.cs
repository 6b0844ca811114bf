using System.Globalization;
using System.Text;
using ClinicBot.Bot.Storage.Sqlite;
using Microsoft.Bot.Schema;
using Newtonsoft.Json;

namespace ClinicBot.Bot.DirectLine;

/// <summary>One activity of a conversation's log: its sequence number (the watermark) and its JSON.</summary>
public readonly record struct LoggedActivity(long Sequence, string Json);

/// <summary>
/// The durable activity log of built-in Direct Line conversations in SQLite. Every activity the patient posts
/// and every activity the bot sends gets the next sequence number (the watermark), an id
/// <c>{conversationId}|{sequence:D7}</c> and a timestamp strictly later than the one before, which Web Chat
/// needs to order messages. A restart loses nothing: clients reconnect and page from their watermark.
/// </summary>
public sealed class DirectLineActivityLog(SqliteDatabase database, TimeProvider time) : IDisposable
{
    public static readonly SqliteMigration Schema = new("0300_directline", """
        CREATE TABLE IF NOT EXISTS directline_conversations (
            id TEXT PRIMARY KEY,
            user_id TEXT NOT NULL,
            created_utc TEXT NOT NULL,
            last_sequence INTEGER NOT NULL DEFAULT 0,
            last_timestamp_ms INTEGER NOT NULL DEFAULT 0
        );
        CREATE TABLE IF NOT EXISTS directline_activities (
            conversation_id TEXT NOT NULL REFERENCES directline_conversations(id) ON DELETE CASCADE,
            sequence INTEGER NOT NULL,
            activity TEXT NOT NULL,
            PRIMARY KEY (conversation_id, sequence)
        ) WITHOUT ROWID;
        """);

    private static readonly JsonSerializerSettings Json = new()
    {
        NullValueHandling = NullValueHandling.Ignore,
        DateFormatHandling = DateFormatHandling.IsoDateFormat,
    };

    // A conversation's appends take turns, so its sequence, timestamps and push order agree; different
    // conversations append side by side and share the database writer's group commits.
    private readonly SemaphoreSlim[] _appendLocks = Enumerable.Range(0, 64).Select(_ => new SemaphoreSlim(1, 1)).ToArray();

    /// <summary>Creates the conversation; false when it already exists.</summary>
    public Task<bool> CreateConversationAsync(string conversationId, string userId, CancellationToken cancellationToken)
    {
        var created = time.GetUtcNow().UtcDateTime.ToString("O", CultureInfo.InvariantCulture);
        return database.WriteAsync(write =>
        {
            var command = write.Command("INSERT OR IGNORE INTO directline_conversations (id, user_id, created_utc) VALUES ($id, $user, $created)");
            command.Parameters.AddWithValue("$id", conversationId);
            command.Parameters.AddWithValue("$user", userId);
            command.Parameters.AddWithValue("$created", created);
            return command.ExecuteNonQuery() == 1;
        }, cancellationToken);
    }

    public async Task<bool> ExistsAsync(string conversationId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT 1 FROM directline_conversations WHERE id = $id";
        command.Parameters.AddWithValue("$id", conversationId);
        return await command.ExecuteScalarAsync(cancellationToken) is not null;
    }

    /// <summary>
    /// Appends the activity: sets its id and timestamp, stores it, and (still in order) hands it to
    /// <paramref name="published"/> so connected sockets see activities in watermark order.
    /// </summary>
    public async Task<LoggedActivity> AppendAsync(string conversationId, Activity activity, Action<LoggedActivity>? published, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(activity);
        var appendLock = _appendLocks[(int)((uint)StringComparer.Ordinal.GetHashCode(conversationId) % (uint)_appendLocks.Length)];
        await appendLock.WaitAsync(cancellationToken);
        try
        {
            var logged = await database.WriteAsync(write => Append(write, conversationId, activity), cancellationToken);
            published?.Invoke(logged);
            return logged;
        }
        finally
        {
            appendLock.Release();
        }
    }

    private LoggedActivity Append(SqliteWriteContext write, string conversationId, Activity activity)
    {
        var read = write.Command("SELECT last_sequence, last_timestamp_ms FROM directline_conversations WHERE id = $id");
        read.Parameters.AddWithValue("$id", conversationId);
        long lastSequence, lastTimestamp;
        using (var reader = read.ExecuteReader())
        {
            if (!reader.Read())
            {
                throw new InvalidOperationException($"Direct Line conversation {conversationId} does not exist.");
            }

            lastSequence = reader.GetInt64(0);
            lastTimestamp = reader.GetInt64(1);
        }

        var sequence = lastSequence + 1;
        var timestamp = Math.Max(time.GetUtcNow().ToUnixTimeMilliseconds(), lastTimestamp + 1);
        activity.Id = ActivityId(conversationId, sequence);
        activity.Timestamp = DateTimeOffset.FromUnixTimeMilliseconds(timestamp);
        var json = JsonConvert.SerializeObject(activity, Json);

        var insert = write.Command("INSERT INTO directline_activities (conversation_id, sequence, activity) VALUES ($id, $sequence, $activity)");
        insert.Parameters.AddWithValue("$id", conversationId);
        insert.Parameters.AddWithValue("$sequence", sequence);
        insert.Parameters.AddWithValue("$activity", json);
        insert.ExecuteNonQuery();

        var update = write.Command("UPDATE directline_conversations SET last_sequence = $sequence, last_timestamp_ms = $timestamp WHERE id = $id");
        update.Parameters.AddWithValue("$id", conversationId);
        update.Parameters.AddWithValue("$sequence", sequence);
        update.Parameters.AddWithValue("$timestamp", timestamp);
        update.ExecuteNonQuery();
        return new LoggedActivity(sequence, json);
    }

    /// <summary>Activities after <paramref name="watermark"/>, oldest first, at most <paramref name="limit"/>.</summary>
    public async Task<IReadOnlyList<LoggedActivity>> ReadAfterAsync(string conversationId, long watermark, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT sequence, activity FROM directline_activities
            WHERE conversation_id = $id AND sequence > $watermark
            ORDER BY sequence LIMIT $limit
            """;
        command.Parameters.AddWithValue("$id", conversationId);
        command.Parameters.AddWithValue("$watermark", watermark);
        command.Parameters.AddWithValue("$limit", limit);
        var results = new List<LoggedActivity>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            results.Add(new LoggedActivity(reader.GetInt64(0), reader.GetString(1)));
        }

        return results;
    }

    /// <summary>The Direct Line ActivitySet JSON: <c>{"activities":[...],"watermark":"N"}</c>.</summary>
    public static string ActivitySet(IEnumerable<string> activitiesJson, long watermark)
    {
        var builder = new StringBuilder("{\"activities\":[");
        var first = true;
        foreach (var json in activitiesJson)
        {
            if (!first)
            {
                builder.Append(',');
            }

            builder.Append(json);
            first = false;
        }

        builder.Append("],\"watermark\":\"").Append(watermark.ToString(CultureInfo.InvariantCulture)).Append("\"}");
        return builder.ToString();
    }

    public void Dispose()
    {
        foreach (var appendLock in _appendLocks)
        {
            appendLock.Dispose();
        }
    }

    public static string Serialize(Activity activity) => JsonConvert.SerializeObject(activity, Json);

    public static string ActivityId(string conversationId, long sequence) =>
        string.Create(CultureInfo.InvariantCulture, $"{conversationId}|{sequence:D7}");
}
