using System.Globalization;
using ClinicBot.Bot.Storage.Sqlite;

namespace ClinicBot.Bot.Staff;

public sealed record StaffAuditEntry(long Sequence, DateTimeOffset At, string StaffId, string StaffName, string Action, string? HandoffId, string? ConversationId, string? Detail);

/// <summary>Who opened or acted on which conversation, when (ids only, never patient text). Supervisors can read it.</summary>
public sealed class StaffAuditLog(SqliteDatabase database, TimeProvider time)
{
    public static readonly SqliteMigration Schema = new("0410_staff_audit", """
        CREATE TABLE IF NOT EXISTS staff_audit (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            at_utc TEXT NOT NULL,
            staff_id TEXT NOT NULL,
            staff_name TEXT NOT NULL,
            action TEXT NOT NULL,
            handoff_id TEXT,
            conversation_id TEXT,
            detail TEXT
        );
        CREATE INDEX IF NOT EXISTS ix_staff_audit_handoff ON staff_audit(handoff_id);
        """);

    public async Task RecordAsync(StaffMember staff, string action, string? handoffId, string? conversationId, string? detail, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(staff);
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO staff_audit (at_utc, staff_id, staff_name, action, handoff_id, conversation_id, detail)
            VALUES ($at, $staff, $name, $action, $handoff, $conversation, $detail)
            """;
        command.Parameters.AddWithValue("$at", time.GetUtcNow().UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
        command.Parameters.AddWithValue("$staff", staff.Id);
        command.Parameters.AddWithValue("$name", staff.DisplayName);
        command.Parameters.AddWithValue("$action", action);
        command.Parameters.AddWithValue("$handoff", (object?)handoffId ?? DBNull.Value);
        command.Parameters.AddWithValue("$conversation", (object?)conversationId ?? DBNull.Value);
        command.Parameters.AddWithValue("$detail", (object?)detail ?? DBNull.Value);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Newest first; of one handoff when given.</summary>
    public async Task<IReadOnlyList<StaffAuditEntry>> ListAsync(string? handoffId, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT seq, at_utc, staff_id, staff_name, action, handoff_id, conversation_id, detail FROM staff_audit
            WHERE $handoff IS NULL OR handoff_id = $handoff ORDER BY seq DESC LIMIT $limit
            """;
        command.Parameters.AddWithValue("$handoff", (object?)handoffId ?? DBNull.Value);
        command.Parameters.AddWithValue("$limit", limit);
        var list = new List<StaffAuditEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(new StaffAuditEntry(
                reader.GetInt64(0),
                DateTimeOffset.Parse(reader.GetString(1), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal),
                reader.GetString(2),
                reader.GetString(3),
                reader.GetString(4),
                reader.IsDBNull(5) ? null : reader.GetString(5),
                reader.IsDBNull(6) ? null : reader.GetString(6),
                reader.IsDBNull(7) ? null : reader.GetString(7)));
        }

        return list;
    }
}
