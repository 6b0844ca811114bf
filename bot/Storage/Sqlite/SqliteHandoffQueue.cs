using System.Globalization;
using System.Text.Json;
using ClinicBot.Dialogs.Handoff;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace ClinicBot.Bot.Storage.Sqlite;

/// <summary>
/// Handoff requests in SQLite: one JSON document per request with the queue columns alongside, and the handoff's
/// own transcript. Every state change runs in a <c>BEGIN IMMEDIATE</c> transaction (read, check, write), so
/// concurrent changes to one chat are serialized and exactly one of two accepts wins.
/// </summary>
public sealed class SqliteHandoffQueue(SqliteDatabase database, IOptions<HandoffOptions> options) : IHandoffQueue
{
    public static readonly SqliteMigration Schema = new("0200_handoffs", """
        CREATE TABLE IF NOT EXISTS handoffs (
            id TEXT PRIMARY KEY,
            conversation_id TEXT NOT NULL,
            department TEXT NOT NULL,
            status TEXT NOT NULL,
            priority INTEGER NOT NULL,
            created_utc TEXT NOT NULL,
            document TEXT NOT NULL
        );
        CREATE INDEX IF NOT EXISTS ix_handoffs_queue ON handoffs(status, department, priority DESC, created_utc);
        """);

    /// <summary>The handoff transcript table (first shipped with the relay; the SQL must not change).</summary>
    public static readonly SqliteMigration MessagesSchema = new("0210_handoff_messages", """
        CREATE TABLE IF NOT EXISTS handoff_messages (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            handoff_id TEXT NOT NULL,
            sender TEXT NOT NULL,
            text TEXT NOT NULL,
            sent_utc TEXT NOT NULL
        );
        CREATE INDEX IF NOT EXISTS ix_handoff_messages ON handoff_messages(handoff_id, seq);
        """);

    /// <summary>Queue rank, current-queue start and time-to-accept columns; authors and internal notes on messages.</summary>
    public static readonly SqliteMigration EngineSchema = new("0220_handoff_engine", """
        ALTER TABLE handoffs ADD COLUMN rank INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE handoffs ADD COLUMN queued_utc TEXT;
        ALTER TABLE handoffs ADD COLUMN accepted_utc TEXT;
        ALTER TABLE handoffs ADD COLUMN accept_wait_ms INTEGER;
        CREATE INDEX IF NOT EXISTS ix_handoffs_rank ON handoffs(status, department, rank DESC, queued_utc);
        CREATE INDEX IF NOT EXISTS ix_handoffs_accepted ON handoffs(department, accepted_utc DESC) WHERE accepted_utc IS NOT NULL;
        CREATE INDEX IF NOT EXISTS ix_handoffs_conversation ON handoffs(conversation_id);
        ALTER TABLE handoff_messages ADD COLUMN author_id TEXT;
        ALTER TABLE handoff_messages ADD COLUMN author_name TEXT;
        ALTER TABLE handoff_messages ADD COLUMN internal INTEGER NOT NULL DEFAULT 0;
        """);

    private const string Columns = "document";
    private const string QueueStart = "COALESCE(queued_utc, created_utc)";

    public async Task<HandoffPlacement> EnqueueAsync(HandoffRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.QueuedAt ??= request.CreatedAt;
        var document = Serialize(request);
        await database.WriteAsync(write =>
        {
            var insert = write.Command("""
                INSERT INTO handoffs (id, conversation_id, department, status, priority, created_utc, document, rank, queued_utc, accepted_utc)
                VALUES ($id, $conversation, $department, $status, $priority, $created, $document, $rank, $queued, $accepted)
                """);
            insert.Parameters.AddWithValue("$id", request.Id);
            insert.Parameters.AddWithValue("$conversation", request.ConversationId);
            insert.Parameters.AddWithValue("$department", request.Department);
            insert.Parameters.AddWithValue("$status", request.Status.ToString());
            insert.Parameters.AddWithValue("$priority", (int)request.Priority);
            insert.Parameters.AddWithValue("$created", Utc(request.CreatedAt));
            insert.Parameters.AddWithValue("$document", document);
            insert.Parameters.AddWithValue("$rank", request.QueueRank);
            insert.Parameters.AddWithValue("$queued", Utc(request.WaitingSince));
            insert.Parameters.AddWithValue("$accepted", request.AcceptedAt is { } accepted ? Utc(accepted) : DBNull.Value);
            insert.ExecuteNonQuery();
        }, cancellationToken);

        if (request.Status != HandoffStatus.Waiting)
        {
            return new HandoffPlacement(0, TimeSpan.Zero);
        }

        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var ahead = connection.CreateCommand();
        ahead.CommandText = $"""
            SELECT COUNT(*) FROM handoffs
            WHERE status = 'Waiting' AND department = $department AND id <> $id
              AND (rank > $rank OR (rank = $rank AND {QueueStart} <= $queued))
            """;
        ahead.Parameters.AddWithValue("$department", request.Department);
        ahead.Parameters.AddWithValue("$id", request.Id);
        ahead.Parameters.AddWithValue("$rank", request.QueueRank);
        ahead.Parameters.AddWithValue("$queued", Utc(request.WaitingSince));
        var position = Convert.ToInt32(await ahead.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture) + 1;
        return new HandoffPlacement(position, await EstimateWaitAsync(connection, request.Department, position, cancellationToken));
    }

    public async Task<HandoffRequest?> GetAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT document FROM handoffs WHERE id = $id";
        command.Parameters.AddWithValue("$id", id);
        return await command.ExecuteScalarAsync(cancellationToken) is string json ? Deserialize(json) : null;
    }

    public Task<IReadOnlyList<HandoffRequest>> ListOpenAsync(string? department, CancellationToken cancellationToken) =>
        QueryAsync(
            $"""
            SELECT {Columns} FROM handoffs
            WHERE status IN ('Waiting', 'Active') AND ($department IS NULL OR department = $department)
            ORDER BY CASE status WHEN 'Waiting' THEN 0 ELSE 1 END,
                     CASE status WHEN 'Waiting' THEN rank ELSE 0 END DESC,
                     CASE status WHEN 'Waiting' THEN {QueueStart} ELSE accepted_utc END,
                     id
            """,
            command => command.Parameters.AddWithValue("$department", (object?)department ?? DBNull.Value),
            cancellationToken);

    public Task<IReadOnlyList<HandoffRequest>> ListWaitingSinceAsync(DateTimeOffset cutoff, CancellationToken cancellationToken) =>
        QueryAsync(
            $"SELECT {Columns} FROM handoffs WHERE status = 'Waiting' AND {QueueStart} <= $cutoff ORDER BY {QueueStart}, id",
            command => command.Parameters.AddWithValue("$cutoff", Utc(cutoff)),
            cancellationToken);

    public Task<IReadOnlyList<HandoffRequest>> ListByConversationAsync(string conversationId, CancellationToken cancellationToken) =>
        QueryAsync(
            $"SELECT {Columns} FROM handoffs WHERE conversation_id = $conversation ORDER BY created_utc DESC, id DESC",
            command => command.Parameters.AddWithValue("$conversation", conversationId),
            cancellationToken);

    public Task<HandoffChange> AcceptAsync(string id, string staffId, string staffName, DateTimeOffset at, CancellationToken cancellationToken) =>
        ChangeAsync(id, request => HandoffTransitions.Accept(request, staffId, staffName, at), cancellationToken);

    public Task<HandoffChange> EndAsync(string id, string outcome, DateTimeOffset at, CancellationToken cancellationToken) =>
        ChangeAsync(id, request => HandoffTransitions.End(request, outcome, at), cancellationToken);

    public Task<HandoffChange> TransferAsync(string id, string department, string? note, DateTimeOffset at, CancellationToken cancellationToken) =>
        ChangeAsync(id, request => HandoffTransitions.Requeue(request, department, note, at, escalate: false), cancellationToken);

    public Task<HandoffChange> EscalateAsync(string id, string supervisorDepartment, string? note, DateTimeOffset at, CancellationToken cancellationToken) =>
        ChangeAsync(id, request => HandoffTransitions.Requeue(request, supervisorDepartment, note, at, escalate: true), cancellationToken);

    public Task<HandoffChange> TimeOutAsync(string id, string followUpId, DateTimeOffset at, CancellationToken cancellationToken) =>
        ChangeAsync(id, request => HandoffTransitions.TimeOut(request, followUpId, at), cancellationToken);

    public Task<HandoffChange> MarkUrgentAsync(string id, string redFlag, CancellationToken cancellationToken) =>
        ChangeAsync(id, request => HandoffTransitions.MarkUrgent(request, redFlag), cancellationToken);

    public async Task<HandoffMessage> AppendMessageAsync(HandoffMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO handoff_messages (handoff_id, sender, text, sent_utc, author_id, author_name, internal)
            VALUES ($id, $sender, $text, $sent, $author, $name, $internal)
            RETURNING seq
            """;
        command.Parameters.AddWithValue("$id", message.HandoffId);
        command.Parameters.AddWithValue("$sender", message.Sender.ToString());
        command.Parameters.AddWithValue("$text", message.Text);
        command.Parameters.AddWithValue("$sent", Utc(message.SentAt));
        command.Parameters.AddWithValue("$author", (object?)message.AuthorId ?? DBNull.Value);
        command.Parameters.AddWithValue("$name", (object?)message.AuthorName ?? DBNull.Value);
        command.Parameters.AddWithValue("$internal", message.Internal ? 1 : 0);
        var seq = Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
        return message with { Sequence = seq };
    }

    public async Task<IReadOnlyList<HandoffMessage>> GetMessagesAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT seq, sender, text, sent_utc, author_id, author_name, internal FROM handoff_messages WHERE handoff_id = $id ORDER BY seq";
        command.Parameters.AddWithValue("$id", id);
        var messages = new List<HandoffMessage>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var sender = reader.GetString(1) switch
            {
                "patient" or "Patient" => HandoffMessageSender.Patient,
                "Staff" or "staff" => HandoffMessageSender.Staff,
                _ => HandoffMessageSender.System,
            };
            messages.Add(new HandoffMessage(
                id,
                sender,
                reader.GetString(2),
                DateTimeOffset.Parse(reader.GetString(3), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal),
                reader.IsDBNull(4) ? null : reader.GetString(4),
                reader.IsDBNull(5) ? null : reader.GetString(5),
                reader.GetInt64(6) != 0) { Sequence = reader.GetInt64(0) });
        }

        return messages;
    }

    public async Task<TimeSpan> EstimateWaitAsync(string department, int position, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return await EstimateWaitAsync(connection, department, position, cancellationToken);
    }

    private async Task<TimeSpan> EstimateWaitAsync(SqliteConnection connection, string department, int position, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT accept_wait_ms FROM handoffs
            WHERE department = $department AND accept_wait_ms IS NOT NULL
            ORDER BY accepted_utc DESC LIMIT $limit
            """;
        command.Parameters.AddWithValue("$department", department);
        command.Parameters.AddWithValue("$limit", options.Value.WaitEstimateSampleSize);
        var samples = new List<TimeSpan>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            samples.Add(TimeSpan.FromMilliseconds(reader.GetInt64(0)));
        }

        return HandoffTransitions.Estimate(samples, position, options.Value.DefaultMinutesPerChat);
    }

    private async Task<IReadOnlyList<HandoffRequest>> QueryAsync(string sql, Action<SqliteCommand> bind, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        bind(command);
        var results = new List<HandoffRequest>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            results.Add(Deserialize(reader.GetString(0)));
        }

        return results;
    }

    /// <summary>
    /// Read, check and write one handoff in the database writer's transaction (so a second writer sees this change);
    /// <paramref name="change"/> returns a conflict reason or null. The writer may run this twice (it retries a failed
    /// batch write by write), so the change is applied to a fresh read each time.
    /// </summary>
    private Task<HandoffChange> ChangeAsync(string id, Func<HandoffRequest, string?> change, CancellationToken cancellationToken) =>
        database.WriteAsync(write =>
        {
            var read = write.Command("SELECT document FROM handoffs WHERE id = $id");
            read.Parameters.AddWithValue("$id", id);
            if (read.ExecuteScalar() is not string json)
            {
                return HandoffChange.NotFound;
            }

            var request = Deserialize(json);
            if (change(request) is { } conflict)
            {
                return HandoffChange.Conflict(request, conflict);
            }

            var update = write.Command("""
                UPDATE handoffs SET department = $department, status = $status, priority = $priority, rank = $rank,
                    queued_utc = $queued, accepted_utc = $accepted, accept_wait_ms = $wait, document = $document
                WHERE id = $id
                """);
            update.Parameters.AddWithValue("$id", id);
            update.Parameters.AddWithValue("$department", request.Department);
            update.Parameters.AddWithValue("$status", request.Status.ToString());
            update.Parameters.AddWithValue("$priority", (int)request.Priority);
            update.Parameters.AddWithValue("$rank", request.QueueRank);
            update.Parameters.AddWithValue("$queued", Utc(request.WaitingSince));
            update.Parameters.AddWithValue("$accepted", request.AcceptedAt is { } accepted ? Utc(accepted) : DBNull.Value);
            update.Parameters.AddWithValue("$wait", request.AcceptedAt is { } acceptedAt && request.Reason != HandoffReason.StaffPulled
                ? (long)Math.Max(0, (acceptedAt - request.WaitingSince).TotalMilliseconds)
                : DBNull.Value);
            update.Parameters.AddWithValue("$document", Serialize(request));
            update.ExecuteNonQuery();
            return HandoffChange.Changed(request);
        }, cancellationToken);

    private static string Utc(DateTimeOffset value) => value.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    private static string Serialize(HandoffRequest request) => JsonSerializer.Serialize(request, StoreJson.Options);

    private static HandoffRequest Deserialize(string json) => JsonSerializer.Deserialize<HandoffRequest>(json, StoreJson.Options)!;
}
