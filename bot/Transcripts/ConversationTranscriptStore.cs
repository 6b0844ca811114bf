using System.Globalization;
using ClinicBot.Bot.Storage.Sqlite;

namespace ClinicBot.Bot.Transcripts;

/// <summary>One message in a patient conversation, either direction.</summary>
public sealed record TranscriptEntry(string ConversationId, TranscriptRole Role, string Text, DateTimeOffset At, string? ActivityId = null)
{
    public long Sequence { get; init; }
}

public enum TranscriptRole
{
    Patient,
    Bot,
    Staff,
}

/// <summary>A patient conversation the bot has seen: how to reach it again (staff "pull") and when it was last active.</summary>
public sealed record TranscriptConversation(
    string ConversationId,
    string ChannelId,
    string PatientUserId,
    string? PatientName,
    string ReplyAddress,
    DateTimeOffset FirstAt,
    DateTimeOffset LastAt);

/// <summary>
/// Every message of every patient conversation, both directions, in the ClinicBot SQLite database, so staff who
/// take a chat see everything the patient already told the bot. Kept for <c>Transcripts:RetentionDays</c>.
/// </summary>
public sealed class ConversationTranscriptStore(SqliteDatabase database)
{
    public static readonly SqliteMigration Schema = new("0300_transcripts", """
        CREATE TABLE IF NOT EXISTS transcript_conversations (
            conversation_id TEXT PRIMARY KEY,
            channel_id TEXT NOT NULL,
            user_id TEXT NOT NULL,
            user_name TEXT,
            reply_address TEXT NOT NULL,
            first_utc TEXT NOT NULL,
            last_utc TEXT NOT NULL
        );
        CREATE INDEX IF NOT EXISTS ix_transcript_conversations_last ON transcript_conversations(last_utc DESC);
        CREATE TABLE IF NOT EXISTS transcript_messages (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            conversation_id TEXT NOT NULL,
            role TEXT NOT NULL,
            text TEXT NOT NULL,
            at_utc TEXT NOT NULL,
            activity_id TEXT
        );
        CREATE INDEX IF NOT EXISTS ix_transcript_messages_conversation ON transcript_messages(conversation_id, seq);
        CREATE INDEX IF NOT EXISTS ix_transcript_messages_at ON transcript_messages(at_utc);
        """);

    private const string InsertMessageSql = "INSERT INTO transcript_messages (conversation_id, role, text, at_utc, activity_id) VALUES ($conversation, $role, $text, $at, $activity)";

    private const string TouchConversationSql = """
        INSERT INTO transcript_conversations (conversation_id, channel_id, user_id, user_name, reply_address, first_utc, last_utc)
        VALUES ($conversation, $channel, $user, $name, $reply, $at, $at)
        ON CONFLICT(conversation_id) DO UPDATE SET
            user_name = COALESCE(excluded.user_name, transcript_conversations.user_name),
            reply_address = excluded.reply_address,
            last_utc = excluded.last_utc
        """;

    public Task RecordAsync(TranscriptEntry entry, CancellationToken cancellationToken) => RecordAsync([entry], cancellationToken);

    /// <summary>Appends messages in the given order, in one write.</summary>
    public Task RecordAsync(IReadOnlyList<TranscriptEntry> entries, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entries);
        foreach (var entry in entries)
        {
            ArgumentNullException.ThrowIfNull(entry, nameof(entries));
        }

        return entries.Count == 0 ? Task.CompletedTask : database.WriteAsync(write => Insert(write, entries), cancellationToken);
    }

    /// <summary>Creates or refreshes the conversation's record (reply address, patient name, last activity).</summary>
    public Task TouchConversationAsync(TranscriptConversation conversation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(conversation);
        return database.WriteAsync(write => Touch(write, conversation), cancellationToken);
    }

    /// <summary>A patient's message: refreshes the conversation's record and appends the message, in one write.</summary>
    public Task RecordPatientMessageAsync(TranscriptConversation conversation, TranscriptEntry message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(conversation);
        ArgumentNullException.ThrowIfNull(message);
        return database.WriteAsync(write =>
        {
            Touch(write, conversation);
            Insert(write, [message]);
        }, cancellationToken);
    }

    private static void Insert(SqliteWriteContext write, IReadOnlyList<TranscriptEntry> entries)
    {
        foreach (var entry in entries)
        {
            var command = write.Command(InsertMessageSql);
            command.Parameters.AddWithValue("$conversation", entry.ConversationId);
            command.Parameters.AddWithValue("$role", entry.Role.ToString());
            command.Parameters.AddWithValue("$text", entry.Text);
            command.Parameters.AddWithValue("$at", Utc(entry.At));
            command.Parameters.AddWithValue("$activity", (object?)entry.ActivityId ?? DBNull.Value);
            command.ExecuteNonQuery();
        }
    }

    private static void Touch(SqliteWriteContext write, TranscriptConversation conversation)
    {
        var command = write.Command(TouchConversationSql);
        command.Parameters.AddWithValue("$conversation", conversation.ConversationId);
        command.Parameters.AddWithValue("$channel", conversation.ChannelId);
        command.Parameters.AddWithValue("$user", conversation.PatientUserId);
        command.Parameters.AddWithValue("$name", (object?)conversation.PatientName ?? DBNull.Value);
        command.Parameters.AddWithValue("$reply", conversation.ReplyAddress);
        command.Parameters.AddWithValue("$at", Utc(conversation.LastAt));
        command.ExecuteNonQuery();
    }

    /// <summary>The conversation's messages in order; the most recent <paramref name="limit"/> when it is longer.</summary>
    public async Task<IReadOnlyList<TranscriptEntry>> GetAsync(string conversationId, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT seq, role, text, at_utc, activity_id FROM (
                SELECT * FROM transcript_messages WHERE conversation_id = $conversation ORDER BY seq DESC LIMIT $limit
            ) ORDER BY seq
            """;
        command.Parameters.AddWithValue("$conversation", conversationId);
        command.Parameters.AddWithValue("$limit", limit);
        var entries = new List<TranscriptEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add(new TranscriptEntry(conversationId, Enum.Parse<TranscriptRole>(reader.GetString(1)), reader.GetString(2), Parse(reader.GetString(3)), reader.IsDBNull(4) ? null : reader.GetString(4))
            {
                Sequence = reader.GetInt64(0),
            });
        }

        return entries;
    }

    public async Task<TranscriptConversation?> GetConversationAsync(string conversationId, CancellationToken cancellationToken)
    {
        var list = await QueryConversationsAsync("WHERE conversation_id = $conversation", conversationId, 1, cancellationToken);
        return list.FirstOrDefault();
    }

    /// <summary>Most recently active conversations first.</summary>
    public Task<IReadOnlyList<TranscriptConversation>> ListRecentConversationsAsync(int limit, CancellationToken cancellationToken) =>
        QueryConversationsAsync(string.Empty, null, limit, cancellationToken);

    /// <summary>Deletes transcript messages (and idle conversation records) older than <paramref name="cutoff"/>; returns messages deleted.</summary>
    public async Task<int> PurgeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        return await database.WriteAsync(write =>
        {
            var messages = write.Command("DELETE FROM transcript_messages WHERE at_utc < $cutoff");
            messages.Parameters.AddWithValue("$cutoff", Utc(cutoff));
            var removed = messages.ExecuteNonQuery();
            var conversations = write.Command("DELETE FROM transcript_conversations WHERE last_utc < $cutoff");
            conversations.Parameters.AddWithValue("$cutoff", Utc(cutoff));
            conversations.ExecuteNonQuery();
            return removed;
        }, cancellationToken);
    }

    private async Task<IReadOnlyList<TranscriptConversation>> QueryConversationsAsync(string where, string? conversationId, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT conversation_id, channel_id, user_id, user_name, reply_address, first_utc, last_utc FROM transcript_conversations {where} ORDER BY last_utc DESC LIMIT $limit";
        command.Parameters.AddWithValue("$limit", limit);
        if (conversationId is not null)
        {
            command.Parameters.AddWithValue("$conversation", conversationId);
        }

        var list = new List<TranscriptConversation>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(new TranscriptConversation(
                reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.GetString(4), Parse(reader.GetString(5)), Parse(reader.GetString(6))));
        }

        return list;
    }

    private static string Utc(DateTimeOffset value) => value.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    private static DateTimeOffset Parse(string value) =>
        DateTimeOffset.Parse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
}
