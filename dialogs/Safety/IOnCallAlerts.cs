namespace ClinicBot.Dialogs.Safety;

/// <summary>
/// Reaches the clinic's on-call person when a red flag arrives and nobody is online in the staff console (the host
/// sends an email with a link to the alert; never the patient's words). Returns without waiting for delivery.
/// </summary>
public interface IOnCallAlerts
{
    void Alert(OnCallAlert alert);
}

/// <summary>What the on-call person is told: which alert to open, of what kind, from which channel. No patient data.</summary>
public sealed record OnCallAlert(string HandoffId, RedFlag Flag, string ChannelId, DateTimeOffset At);
