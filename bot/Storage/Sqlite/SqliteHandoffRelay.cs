using ClinicBot.Dialogs.Handoff;

namespace ClinicBot.Bot.Storage.Sqlite;

/// <summary>Keeps every patient message sent during a handoff, in order, for the staff member's view.</summary>
public sealed class SqliteHandoffRelay(SqliteDatabase database, TimeProvider time) : IHandoffRelay
{
    public static readonly SqliteMigration Schema = new("0210_handoff_messages", """
        CREATE TABLE IF NOT EXISTS handoff_messages (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            handoff_id TEXT NOT NULL,
            sender TEXT NOT NULL,
            text TEXT NOT NULL,
            sent_utc TEXT NOT NULL
        );
        CREATE INDEX IF NOT EXISTS ix_handoff_messages ON handoff_messages(handoff_id, seq);
        """);

    public async Task RelayFromPatientAsync(string handoffId, string? text, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO handoff_messages (handoff_id, sender, text, sent_utc) VALUES ($id, 'patient', $text, $sent)";
        command.Parameters.AddWithValue("$id", handoffId);
        command.Parameters.AddWithValue("$text", text ?? string.Empty);
        command.Parameters.AddWithValue("$sent", time.GetUtcNow().UtcDateTime.ToString("O"));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task CancelByPatientAsync(string handoffId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "UPDATE handoffs SET status = 'Ended', document = json_set(document, '$.status', 'Ended') WHERE id = $id AND status = 'Waiting'";
        command.Parameters.AddWithValue("$id", handoffId);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
