namespace ClinicBot.Dialogs.Patients;

/// <summary>What the bot remembers about a patient across conversations (user state).</summary>
public sealed class PatientProfile
{
    /// <summary>The name the patient goes by in chat (first name), if known.</summary>
    public string? PreferredName { get; set; }

    /// <summary>Where <see cref="PreferredName"/> came from: channel, portal, or the patient telling us.</summary>
    public NameSource NameSource { get; set; }

    /// <summary>The patient preferred not to give a name; never ask again.</summary>
    public bool DeclinedName { get; set; }

    /// <summary>The clinic's patient id when a trusted source (a portal-signed token) vouched for it.</summary>
    public string? VerifiedPatientId { get; set; }

    public DateTimeOffset? FirstSeen { get; set; }

    /// <summary>The last conversation the patient was greeted in; a different one means they came back.</summary>
    public string? LastConversationId { get; set; }
}

public enum NameSource
{
    None,
    Channel,
    Website,
    Patient,
}
