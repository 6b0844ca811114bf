using System.Text.Json;
using ClinicBot.Dialogs.Cases;
using Microsoft.Data.Sqlite;

namespace ClinicBot.Bot.Storage.Sqlite;

/// <summary>Complaint cases in SQLite: one JSON document per case; reference, status and time as columns.</summary>
public sealed class SqliteCaseStore(SqliteDatabase database, TimeProvider time) : ICaseStore
{
    private const int SqliteConstraintUnique = 2067;

    public static readonly SqliteMigration Schema = new("0400_complaint_cases", """
        CREATE TABLE IF NOT EXISTS complaint_cases (
            id TEXT PRIMARY KEY,
            reference TEXT NOT NULL UNIQUE,
            status TEXT NOT NULL,
            created_utc TEXT NOT NULL,
            document TEXT NOT NULL
        );
        CREATE INDEX IF NOT EXISTS ix_complaint_cases_status ON complaint_cases(status, created_utc);
        """);

    public async Task<ComplaintCase> CreateAsync(ComplaintCase complaint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(complaint);
        if (string.IsNullOrEmpty(complaint.Id))
        {
            complaint.Id = Guid.NewGuid().ToString("N");
        }

        if (complaint.CreatedAt == default)
        {
            complaint.CreatedAt = time.GetUtcNow();
        }

        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        for (var attempt = 1; ; attempt++)
        {
            complaint.Reference = CaseReferences.New();
            await using var command = connection.CreateCommand();
            command.CommandText = "INSERT INTO complaint_cases (id, reference, status, created_utc, document) VALUES ($id, $reference, $status, $created, $document)";
            command.Parameters.AddWithValue("$id", complaint.Id);
            command.Parameters.AddWithValue("$reference", complaint.Reference);
            command.Parameters.AddWithValue("$status", complaint.Status.ToString());
            command.Parameters.AddWithValue("$created", complaint.CreatedAt.UtcDateTime.ToString("O"));
            command.Parameters.AddWithValue("$document", JsonSerializer.Serialize(complaint, StoreJson.Options));
            try
            {
                await command.ExecuteNonQueryAsync(cancellationToken);
                return complaint;
            }
            catch (SqliteException ex) when (ex.SqliteExtendedErrorCode == SqliteConstraintUnique && attempt < 20 && ex.Message.Contains("reference", StringComparison.Ordinal))
            {
                // Another case has this reference: draw again.
            }
        }
    }

    public async Task<ComplaintCase?> GetAsync(string idOrReference, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT document FROM complaint_cases WHERE id = $id OR reference = $reference";
        command.Parameters.AddWithValue("$id", idOrReference ?? string.Empty);
        command.Parameters.AddWithValue("$reference", CaseReferences.Normalize(idOrReference) ?? string.Empty);
        return await command.ExecuteScalarAsync(cancellationToken) is string json
            ? JsonSerializer.Deserialize<ComplaintCase>(json, StoreJson.Options)
            : null;
    }

    public async Task<IReadOnlyList<ComplaintCase>> ListAsync(CaseStatus? status, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = status is null
            ? "SELECT document FROM complaint_cases ORDER BY created_utc, id"
            : "SELECT document FROM complaint_cases WHERE status = $status ORDER BY created_utc, id";
        if (status is not null)
        {
            command.Parameters.AddWithValue("$status", status.Value.ToString());
        }

        var results = new List<ComplaintCase>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            results.Add(JsonSerializer.Deserialize<ComplaintCase>(reader.GetString(0), StoreJson.Options)!);
        }

        return results;
    }

    public async Task<bool> UpdateAsync(ComplaintCase complaint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(complaint);
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();

        // The reference never changes once given to a patient.
        command.CommandText = """
            UPDATE complaint_cases SET status = $status, document = json_set($document, '$.reference', reference)
            WHERE id = $id
            """;
        command.Parameters.AddWithValue("$id", complaint.Id);
        command.Parameters.AddWithValue("$status", complaint.Status.ToString());
        command.Parameters.AddWithValue("$document", JsonSerializer.Serialize(complaint, StoreJson.Options));
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }
}
