using System.Globalization;
using ClinicBot.Bot.Storage.Sqlite;

namespace ClinicBot.Bot.Messenger;

/// <summary>One webhook event as received: a messaging event (message, postback) or a page feed change.</summary>
/// <param name="Key">Identifies the event across redeliveries: <c>mid:...</c>, <c>postback:PSID:TIMESTAMP</c>, <c>comment:ID</c>.</param>
/// <param name="Kind"><see cref="MessengerEventKinds"/>.</param>
/// <param name="PageId">The page the event belongs to.</param>
/// <param name="Payload">The event's JSON as Meta sent it.</param>
public sealed record MessengerInboxEvent(string Key, string Kind, string PageId, string Payload);

/// <summary>An inbox event waiting to be processed.</summary>
public sealed record MessengerPendingEvent(long Sequence, MessengerInboxEvent Event, int Attempts);

public static class MessengerEventKinds
{
    public const string Messaging = "messaging";
    public const string Feed = "feed";
}

/// <summary>
/// The Messenger channel's durable state in SQLite. The inbox: every webhook event is written here before Meta gets
/// its 200, processed in the background in arrival order, and replayed at start if the process stopped first; its
/// unique event key makes a redelivered event a no-op. Processed events keep only their key (for that dedupe) and
/// are pruned after <see cref="KeepProcessedFor"/>. Also: when each patient last wrote (Messenger's messaging
/// windows), and which page comments already have a case and a private reply.
/// </summary>
public sealed class MessengerInbox(SqliteDatabase database, TimeProvider time)
{
    /// <summary>Meta stops redelivering long before this.</summary>
    public static readonly TimeSpan KeepProcessedFor = TimeSpan.FromDays(30);

    public static readonly SqliteMigration Schema = new("0410_messenger", """
        CREATE TABLE IF NOT EXISTS messenger_inbox (
            sequence INTEGER PRIMARY KEY AUTOINCREMENT,
            event_key TEXT NOT NULL UNIQUE,
            kind TEXT NOT NULL,
            page_id TEXT NOT NULL,
            payload TEXT NOT NULL,
            received_utc TEXT NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            processed_utc TEXT,
            outcome TEXT
        );
        CREATE INDEX IF NOT EXISTS ix_messenger_inbox_pending ON messenger_inbox(processed_utc, sequence);
        CREATE TABLE IF NOT EXISTS messenger_contacts (
            psid TEXT PRIMARY KEY,
            page_id TEXT NOT NULL,
            last_inbound_utc TEXT NOT NULL
        );
        CREATE TABLE IF NOT EXISTS messenger_comments (
            comment_id TEXT PRIMARY KEY,
            case_id TEXT NOT NULL,
            replied_utc TEXT
        );
        """);

    /// <summary>Records events durably (one transaction); returns how many were new (not redeliveries).</summary>
    public async Task<int> AddAsync(IReadOnlyList<MessengerInboxEvent> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (events.Count == 0)
        {
            return 0;
        }

        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction(deferred: false);
        var added = 0;
        var now = Format(time.GetUtcNow());
        foreach (var item in events)
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = """
                INSERT INTO messenger_inbox (event_key, kind, page_id, payload, received_utc)
                VALUES ($key, $kind, $page, $payload, $received)
                ON CONFLICT(event_key) DO NOTHING
                """;
            command.Parameters.AddWithValue("$key", item.Key);
            command.Parameters.AddWithValue("$kind", item.Kind);
            command.Parameters.AddWithValue("$page", item.PageId);
            command.Parameters.AddWithValue("$payload", item.Payload);
            command.Parameters.AddWithValue("$received", now);
            added += await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return added;
    }

    /// <summary>Unprocessed events, oldest first.</summary>
    public async Task<IReadOnlyList<MessengerPendingEvent>> GetPendingAsync(int max, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT sequence, event_key, kind, page_id, payload, attempts FROM messenger_inbox
            WHERE processed_utc IS NULL ORDER BY sequence LIMIT $max
            """;
        command.Parameters.AddWithValue("$max", max);
        var results = new List<MessengerPendingEvent>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            results.Add(new MessengerPendingEvent(
                reader.GetInt64(0),
                new MessengerInboxEvent(reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4)),
                reader.GetInt32(5)));
        }

        return results;
    }

    /// <summary>Counts an attempt before processing starts, so an event that crashes the process is not retried forever.</summary>
    public Task BeginAttemptAsync(long sequence, CancellationToken cancellationToken) =>
        ExecuteAsync("UPDATE messenger_inbox SET attempts = attempts + 1 WHERE sequence = $sequence", cancellationToken, ("$sequence", sequence));

    /// <summary>Marks the event done (its text is dropped; the key stays to recognise redeliveries).</summary>
    public Task CompleteAsync(long sequence, string outcome, CancellationToken cancellationToken) =>
        ExecuteAsync(
            "UPDATE messenger_inbox SET processed_utc = $now, outcome = $outcome, payload = '' WHERE sequence = $sequence",
            cancellationToken,
            ("$sequence", sequence),
            ("$now", Format(time.GetUtcNow())),
            ("$outcome", outcome));

    /// <summary>Number of events not yet processed (for tests and diagnostics).</summary>
    public async Task<(long Total, long Pending)> CountAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*), count(*) FILTER (WHERE processed_utc IS NULL) FROM messenger_inbox";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    public Task PruneAsync(CancellationToken cancellationToken) =>
        ExecuteAsync(
            "DELETE FROM messenger_inbox WHERE processed_utc IS NOT NULL AND processed_utc < $before",
            cancellationToken,
            ("$before", Format(time.GetUtcNow() - KeepProcessedFor)));

    /// <summary>Remembers when the patient last wrote (the later of the stored and the given time).</summary>
    public Task RecordInboundAsync(string psid, string pageId, DateTimeOffset at, CancellationToken cancellationToken) =>
        ExecuteAsync(
            """
            INSERT INTO messenger_contacts (psid, page_id, last_inbound_utc) VALUES ($psid, $page, $at)
            ON CONFLICT(psid) DO UPDATE SET page_id = excluded.page_id, last_inbound_utc = max(last_inbound_utc, excluded.last_inbound_utc)
            """,
            cancellationToken,
            ("$psid", psid),
            ("$page", pageId),
            ("$at", Format(at)));

    public async Task<DateTimeOffset?> GetLastInboundAsync(string psid, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT last_inbound_utc FROM messenger_contacts WHERE psid = $psid";
        command.Parameters.AddWithValue("$psid", psid);
        return await command.ExecuteScalarAsync(cancellationToken) is string value
            ? DateTimeOffset.Parse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal)
            : null;
    }

    /// <summary>The case created for a page comment, and whether its private reply went out.</summary>
    public async Task<(string? CaseId, bool Replied)> GetCommentAsync(string commentId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT case_id, replied_utc FROM messenger_comments WHERE comment_id = $id";
        command.Parameters.AddWithValue("$id", commentId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? (reader.GetString(0), !reader.IsDBNull(1)) : (null, false);
    }

    public Task RecordCommentCaseAsync(string commentId, string caseId, CancellationToken cancellationToken) =>
        ExecuteAsync(
            "INSERT INTO messenger_comments (comment_id, case_id) VALUES ($id, $case) ON CONFLICT(comment_id) DO NOTHING",
            cancellationToken,
            ("$id", commentId),
            ("$case", caseId));

    public Task MarkCommentRepliedAsync(string commentId, CancellationToken cancellationToken) =>
        ExecuteAsync(
            "UPDATE messenger_comments SET replied_utc = $now WHERE comment_id = $id",
            cancellationToken,
            ("$id", commentId),
            ("$now", Format(time.GetUtcNow())));

    private static string Format(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    private async Task ExecuteAsync(string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
