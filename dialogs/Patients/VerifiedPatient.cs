namespace ClinicBot.Dialogs.Patients;

/// <summary>
/// Put in a turn's TurnState by a channel adapter that verified who the patient is (a portal-signed token).
/// It lives only in server-side turn state: nothing a browser sends (channelData, join events) can set it.
/// </summary>
public sealed record VerifiedPatient(string PatientId);
