using System.Globalization;
using ClinicBot.Dialogs.Privacy;

namespace ClinicBot.Bot.Storage.Sqlite;

/// <summary>Patients' "delete my data" requests waiting for (or approved by) a supervisor, in the ClinicBot SQLite database.</summary>
public sealed class SqliteDataDeletionRequests(SqliteDatabase database) : IDataDeletionRequests
{
    public static readonly SqliteMigration Schema = new("0610_data_deletion_requests", """
        CREATE TABLE IF NOT EXISTS data_deletion_requests (
            id TEXT PRIMARY KEY,
            patient_user_id TEXT NOT NULL,
            conversation_id TEXT NOT NULL,
            channel_id TEXT NOT NULL,
            reply_address TEXT NOT NULL,
            requested_utc TEXT NOT NULL,
            status TEXT NOT NULL,
            approved_by TEXT,
            completed_utc TEXT
        );
        CREATE INDEX IF NOT EXISTS ix_data_deletion_requests_status ON data_deletion_requests(status, requested_utc);
        """);

    private const string Columns = "id, patient_user_id, conversation_id, channel_id, reply_address, requested_utc, status, approved_by, completed_utc";

    public async Task<DataDeletionRequest> CreateAsync(DataDeletionRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction(deferred: false);
        await using (var find = connection.CreateCommand())
        {
            find.Transaction = transaction;
            find.CommandText = $"SELECT {Columns} FROM data_deletion_requests WHERE patient_user_id = $user AND status = 'Pending' LIMIT 1";
            find.Parameters.AddWithValue("$user", request.PatientUserId);
            await using var reader = await find.ExecuteReaderAsync(cancellationToken);
            if (await reader.ReadAsync(cancellationToken))
            {
                return Read(reader);
            }
        }

        await using (var insert = connection.CreateCommand())
        {
            insert.Transaction = transaction;
            insert.CommandText = $"INSERT INTO data_deletion_requests ({Columns}) VALUES ($id, $user, $conversation, $channel, $reply, $requested, 'Pending', NULL, NULL)";
            insert.Parameters.AddWithValue("$id", request.Id);
            insert.Parameters.AddWithValue("$user", request.PatientUserId);
            insert.Parameters.AddWithValue("$conversation", request.ConversationId);
            insert.Parameters.AddWithValue("$channel", request.ChannelId);
            insert.Parameters.AddWithValue("$reply", request.ReplyAddress);
            insert.Parameters.AddWithValue("$requested", Utc(request.RequestedAt));
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return request with { Status = DataDeletionStatus.Pending };
    }

    public async Task<DataDeletionRequest?> GetAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM data_deletion_requests WHERE id = $id";
        command.Parameters.AddWithValue("$id", id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    public async Task<IReadOnlyList<DataDeletionRequest>> ListAsync(DataDeletionStatus? status, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM data_deletion_requests WHERE $status IS NULL OR status = $status ORDER BY requested_utc LIMIT 500";
        command.Parameters.AddWithValue("$status", (object?)status?.ToString() ?? DBNull.Value);
        var list = new List<DataDeletionRequest>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(Read(reader));
        }

        return list;
    }

    public async Task<bool> CompleteAsync(string id, string approvedBy, DateTimeOffset completedAt, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "UPDATE data_deletion_requests SET status = 'Completed', approved_by = $by, completed_utc = $at, reply_address = '' WHERE id = $id AND status = 'Pending'";
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$by", approvedBy);
        command.Parameters.AddWithValue("$at", Utc(completedAt));
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    private static DataDeletionRequest Read(Microsoft.Data.Sqlite.SqliteDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        reader.GetString(2),
        reader.GetString(3),
        reader.GetString(4),
        DateTimeOffset.Parse(reader.GetString(5), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal),
        Enum.Parse<DataDeletionStatus>(reader.GetString(6)),
        reader.IsDBNull(7) ? null : reader.GetString(7),
        reader.IsDBNull(8) ? null : DateTimeOffset.Parse(reader.GetString(8), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal));

    private static string Utc(DateTimeOffset at) => at.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);
}
