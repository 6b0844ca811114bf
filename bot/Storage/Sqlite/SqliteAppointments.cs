using System.Globalization;
using ClinicBot.Bot.Appointments;
using ClinicBot.Dialogs.Appointments;
using ClinicBot.Dialogs.Clinic;
using Microsoft.Data.Sqlite;

namespace ClinicBot.Bot.Storage.Sqlite;

/// <summary>
/// The embedded schedule in the local store. A clinic without a practice-management integration uses it
/// as is; the first start fills it with the sample schedule so the demo works.
/// </summary>
public sealed class SqliteAppointments(SqliteDatabase database, ClinicCalendar calendar) : IAppointments, IDisposable
{
    public static readonly SqliteMigration Schema = new("0500_appointments", """
        CREATE TABLE IF NOT EXISTS patients (
            id TEXT PRIMARY KEY,
            full_name_key TEXT NOT NULL,
            full_name TEXT NOT NULL,
            date_of_birth TEXT NOT NULL
        );
        CREATE INDEX IF NOT EXISTS ix_patients_identity ON patients(full_name_key, date_of_birth);
        CREATE TABLE IF NOT EXISTS appointments (
            id TEXT PRIMARY KEY,
            patient_id TEXT NOT NULL REFERENCES patients(id),
            start_utc TEXT NOT NULL,
            therapist TEXT NOT NULL,
            location TEXT NOT NULL,
            kind TEXT NOT NULL
        );
        CREATE INDEX IF NOT EXISTS ix_appointments_patient ON appointments(patient_id, start_utc);
        CREATE TABLE IF NOT EXISTS open_slots (
            start_utc TEXT NOT NULL,
            therapist TEXT NOT NULL,
            location TEXT NOT NULL,
            PRIMARY KEY (start_utc, therapist)
        );
        """);

    private readonly SemaphoreSlim _seed = new(1, 1);
    private bool _seeded;

    public async Task<PatientRecord?> FindPatientAsync(string fullName, DateOnly dateOfBirth, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, full_name, date_of_birth FROM patients WHERE full_name_key = $name AND date_of_birth = $dob";
        command.Parameters.AddWithValue("$name", PatientDetails.NormalizeName(fullName));
        command.Parameters.AddWithValue("$dob", dateOfBirth.ToString("O", CultureInfo.InvariantCulture));
        return await ReadSinglePatientAsync(command, cancellationToken);
    }

    public async Task<PatientRecord?> GetPatientAsync(string patientId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, full_name, date_of_birth FROM patients WHERE id = $id";
        command.Parameters.AddWithValue("$id", patientId);
        return await ReadSinglePatientAsync(command, cancellationToken);
    }

    public async Task<Appointment?> NextAppointmentAsync(string patientId, DateTimeOffset from, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, patient_id, start_utc, therapist, location, kind FROM appointments WHERE patient_id = $id AND start_utc >= $from ORDER BY start_utc LIMIT 1";
        command.Parameters.AddWithValue("$id", patientId);
        command.Parameters.AddWithValue("$from", Utc(from));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new Appointment(reader.GetString(0), reader.GetString(1), Parse(reader.GetString(2)), reader.GetString(3), reader.GetString(4), reader.GetString(5))
            : null;
    }

    public async Task<IReadOnlyList<OpenSlot>> OpenSlotsAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT start_utc, therapist, location FROM open_slots WHERE start_utc >= $from AND start_utc < $to ORDER BY start_utc";
        command.Parameters.AddWithValue("$from", Utc(from));
        command.Parameters.AddWithValue("$to", Utc(to));
        var slots = new List<OpenSlot>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            slots.Add(new OpenSlot(Parse(reader.GetString(0)), reader.GetString(1), reader.GetString(2)));
        }

        return slots;
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = await database.OpenConnectionAsync(cancellationToken);
        if (!_seeded)
        {
            await SeedOnceAsync(connection, cancellationToken);
        }

        return connection;
    }

    private async Task SeedOnceAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        await _seed.WaitAsync(cancellationToken);
        try
        {
            if (_seeded)
            {
                return;
            }

            await using var count = connection.CreateCommand();
            count.CommandText = "SELECT EXISTS (SELECT 1 FROM patients)";
            if (Convert.ToInt64(await count.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture) == 0)
            {
                var (appointments, slots) = SampleSchedule.Build(calendar);
                await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
                foreach (var patient in SampleSchedule.Patients)
                {
                    await ExecuteAsync(connection, "INSERT INTO patients VALUES ($a, $b, $c, $d)", cancellationToken, patient.Id, PatientDetails.NormalizeName(patient.FullName), patient.FullName, patient.DateOfBirth.ToString("O", CultureInfo.InvariantCulture));
                }

                foreach (var a in appointments)
                {
                    await ExecuteAsync(connection, "INSERT INTO appointments VALUES ($a, $b, $c, $d, $e, $f)", cancellationToken, a.Id, a.PatientId, Utc(a.Start), a.Therapist, a.Location, a.Kind);
                }

                foreach (var s in slots)
                {
                    await ExecuteAsync(connection, "INSERT INTO open_slots VALUES ($a, $b, $c)", cancellationToken, Utc(s.Start), s.Therapist, s.Location);
                }

                await transaction.CommitAsync(cancellationToken);
            }

            _seeded = true;
        }
        finally
        {
            _seed.Release();
        }
    }

    public void Dispose() => _seed.Dispose();

    private static async Task ExecuteAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken, params string[] values)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters.AddWithValue("$" + (char)('a' + i), values[i]);
        }

        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<PatientRecord?> ReadSinglePatientAsync(SqliteCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        var patient = new PatientRecord(reader.GetString(0), reader.GetString(1), DateOnly.Parse(reader.GetString(2), CultureInfo.InvariantCulture));

        // Two files with the same name and birth date cannot be told apart here: no match rather than a guess.
        return await reader.ReadAsync(cancellationToken) ? null : patient;
    }

    private static string Utc(DateTimeOffset moment) => moment.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static DateTimeOffset Parse(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
}
