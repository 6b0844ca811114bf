using System.Text.Json;
using ClinicBot.Dialogs.Handoff;
using Microsoft.Extensions.Options;

namespace ClinicBot.Bot.Storage.Sqlite;

/// <summary>Handoff requests in SQLite: one JSON document per request, queue columns alongside.</summary>
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

    public async Task<HandoffPlacement> EnqueueAsync(HandoffRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using (var insert = connection.CreateCommand())
        {
            insert.CommandText = """
                INSERT INTO handoffs (id, conversation_id, department, status, priority, created_utc, document)
                VALUES ($id, $conversation, $department, $status, $priority, $created, $document)
                """;
            insert.Parameters.AddWithValue("$id", request.Id);
            insert.Parameters.AddWithValue("$conversation", request.ConversationId);
            insert.Parameters.AddWithValue("$department", request.Department);
            insert.Parameters.AddWithValue("$status", request.Status.ToString());
            insert.Parameters.AddWithValue("$priority", (int)request.Priority);
            insert.Parameters.AddWithValue("$created", request.CreatedAt.UtcDateTime.ToString("O"));
            insert.Parameters.AddWithValue("$document", JsonSerializer.Serialize(request, StoreJson.Options));
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var ahead = connection.CreateCommand();
        ahead.CommandText = """
            SELECT COUNT(*) FROM handoffs
            WHERE status = 'Waiting' AND department = $department AND id <> $id
              AND (priority > $priority OR (priority = $priority AND created_utc <= $created))
            """;
        ahead.Parameters.AddWithValue("$department", request.Department);
        ahead.Parameters.AddWithValue("$id", request.Id);
        ahead.Parameters.AddWithValue("$priority", (int)request.Priority);
        ahead.Parameters.AddWithValue("$created", request.CreatedAt.UtcDateTime.ToString("O"));
        var position = Convert.ToInt32(await ahead.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture) + 1;
        return new HandoffPlacement(position, TimeSpan.FromMinutes(position * options.Value.DefaultMinutesPerChat));
    }

    public async Task<HandoffRequest?> GetAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT document FROM handoffs WHERE id = $id";
        command.Parameters.AddWithValue("$id", id);
        return await command.ExecuteScalarAsync(cancellationToken) is string json
            ? JsonSerializer.Deserialize<HandoffRequest>(json, StoreJson.Options)
            : null;
    }
}
