namespace ClinicBot.Dialogs.Appointments;

/// <summary>The clinic's schedule as the bot may see it. Nothing here is shown to an unverified patient.</summary>
public interface IAppointments
{
    /// <summary>The patient whose full name and date of birth both match, or null (no partial matches).</summary>
    Task<PatientRecord?> FindPatientAsync(string fullName, DateOnly dateOfBirth, CancellationToken cancellationToken);

    Task<PatientRecord?> GetPatientAsync(string patientId, CancellationToken cancellationToken);

    /// <summary>The patient's next appointment starting at or after <paramref name="from"/>.</summary>
    Task<Appointment?> NextAppointmentAsync(string patientId, DateTimeOffset from, CancellationToken cancellationToken);

    /// <summary>Unbooked slots starting between the two moments, earliest first.</summary>
    Task<IReadOnlyList<OpenSlot>> OpenSlotsAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken);
}

public sealed record PatientRecord(string Id, string FullName, DateOnly DateOfBirth);

public sealed record Appointment(string Id, string PatientId, DateTimeOffset Start, string Therapist, string Location, string Kind);

public sealed record OpenSlot(DateTimeOffset Start, string Therapist, string Location);
