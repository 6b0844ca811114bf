using System.Text.Json;
using ClinicBot.Dialogs.FollowUps;
using Microsoft.Data.Sqlite;

namespace ClinicBot.Bot.Storage.Sqlite;

/// <summary>Follow-up questions in SQLite: one JSON document per follow-up, status and time as columns.</summary>
public sealed class SqliteFollowUpQueue(SqliteDatabase database) : IFollowUpQueue
{
    public static readonly SqliteMigration Schema = new("0100_follow_ups", """
        CREATE TABLE IF NOT EXISTS follow_ups (
            id TEXT PRIMARY KEY,
            status TEXT NOT NULL,
            asked_utc TEXT NOT NULL,
            document TEXT NOT NULL
        );
        CREATE INDEX IF NOT EXISTS ix_follow_ups_status ON follow_ups(status, asked_utc);
        """);

    public Task AddAsync(FollowUp followUp, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(followUp);
        var status = followUp.Status.ToString();
        var asked = followUp.AskedAt.UtcDateTime.ToString("O");
        var document = JsonSerializer.Serialize(followUp, StoreJson.Options);
        return database.WriteAsync(write =>
        {
            var command = write.Command("INSERT INTO follow_ups (id, status, asked_utc, document) VALUES ($id, $status, $asked, $document)");
            command.Parameters.AddWithValue("$id", followUp.Id);
            command.Parameters.AddWithValue("$status", status);
            command.Parameters.AddWithValue("$asked", asked);
            command.Parameters.AddWithValue("$document", document);
            command.ExecuteNonQuery();
        }, cancellationToken);
    }

    public async Task<FollowUp?> GetAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT document FROM follow_ups WHERE id = $id";
        command.Parameters.AddWithValue("$id", id);
        return await command.ExecuteScalarAsync(cancellationToken) is string json
            ? JsonSerializer.Deserialize<FollowUp>(json, StoreJson.Options)
            : null;
    }

    public async Task<IReadOnlyList<FollowUp>> ListAsync(FollowUpStatus? status, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = status is null
            ? "SELECT document FROM follow_ups ORDER BY asked_utc, id"
            : "SELECT document FROM follow_ups WHERE status = $status ORDER BY asked_utc, id";
        if (status is not null)
        {
            command.Parameters.AddWithValue("$status", status.Value.ToString());
        }

        var results = new List<FollowUp>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            results.Add(JsonSerializer.Deserialize<FollowUp>(reader.GetString(0), StoreJson.Options)!);
        }

        return results;
    }

    public async Task SetContactAsync(string id, string? email, string? phone, CancellationToken cancellationToken)
    {
        await UpdateAsync(id, requireOpen: false, f => f.UpdateContact(email, phone), cancellationToken);
    }

    public Task<bool> RecordAnswerAsync(string id, string answer, string answeredBy, FollowUpStatus status, DateTimeOffset answeredAt, CancellationToken cancellationToken) =>
        UpdateAsync(id, requireOpen: true, f => f.RecordAnswer(answer, answeredBy, status, answeredAt), cancellationToken);

    public async Task MarkNeedsCallbackAsync(string id, CancellationToken cancellationToken) =>
        await UpdateAsync(id, requireOpen: false, f => f.Status = FollowUpStatus.NeedsCallback, cancellationToken);

    private async Task<bool> UpdateAsync(string id, bool requireOpen, Action<FollowUp> change, CancellationToken cancellationToken)
    {
        var followUp = await GetAsync(id, cancellationToken);
        if (followUp is null || (requireOpen && followUp.Status != FollowUpStatus.Open))
        {
            return false;
        }

        var previousStatus = followUp.Status.ToString();
        change(followUp);
        var status = followUp.Status.ToString();
        var document = JsonSerializer.Serialize(followUp, StoreJson.Options);
        return await database.WriteAsync(write =>
        {
            // The status guard makes concurrent answers safe: only the writer that still sees the old status wins.
            var command = write.Command("UPDATE follow_ups SET status = $status, document = $document WHERE id = $id AND status = $previous");
            command.Parameters.AddWithValue("$id", id);
            command.Parameters.AddWithValue("$status", status);
            command.Parameters.AddWithValue("$previous", previousStatus);
            command.Parameters.AddWithValue("$document", document);
            return command.ExecuteNonQuery() == 1;
        }, cancellationToken);
    }
}
