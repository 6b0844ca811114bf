using Microsoft.Extensions.Compliance.Classification;

namespace ClinicBot.Dialogs.Patients;

/// <summary>
/// ClinicBot's data classification taxonomy for patient data. Anything logged with one of these classifications
/// (source-generated LoggerMessage parameters marked <see cref="PatientTextAttribute"/> and friends) is redacted
/// by the host before it reaches any log sink. Plain ids (conversation, handoff, follow-up) are not classified.
/// </summary>
public static class ClinicBotData
{
    public const string TaxonomyName = "ClinicBot";

    /// <summary>Anything a patient typed, and staff replies to them: may carry symptoms, diagnoses, anything.</summary>
    public static DataClassification PatientText { get; } = new(TaxonomyName, nameof(PatientText));

    /// <summary>A patient's name, as the channel or the patient gave it.</summary>
    public static DataClassification PatientName { get; } = new(TaxonomyName, nameof(PatientName));

    /// <summary>Phone numbers, email addresses, and channel addresses that reach one person (e.g. a Messenger PSID).</summary>
    public static DataClassification ContactDetails { get; } = new(TaxonomyName, nameof(ContactDetails));

    public static DataClassification DateOfBirth { get; } = new(TaxonomyName, nameof(DateOfBirth));

    /// <summary>Every patient classification, for registering a redactor.</summary>
    public static DataClassificationSet All { get; } = new([PatientText, PatientName, ContactDetails, DateOfBirth]);
}

/// <summary>Marks a logged value as <see cref="ClinicBotData.PatientText"/>.</summary>
[AttributeUsage(AttributeTargets.Parameter | AttributeTargets.Property | AttributeTargets.Field)]
public sealed class PatientTextAttribute() : DataClassificationAttribute(ClinicBotData.PatientText);

/// <summary>Marks a logged value as <see cref="ClinicBotData.PatientName"/>.</summary>
[AttributeUsage(AttributeTargets.Parameter | AttributeTargets.Property | AttributeTargets.Field)]
public sealed class PatientNameAttribute() : DataClassificationAttribute(ClinicBotData.PatientName);

/// <summary>Marks a logged value as <see cref="ClinicBotData.ContactDetails"/>.</summary>
[AttributeUsage(AttributeTargets.Parameter | AttributeTargets.Property | AttributeTargets.Field)]
public sealed class ContactDetailsAttribute() : DataClassificationAttribute(ClinicBotData.ContactDetails);

/// <summary>Marks a logged value as <see cref="ClinicBotData.DateOfBirth"/>.</summary>
[AttributeUsage(AttributeTargets.Parameter | AttributeTargets.Property | AttributeTargets.Field)]
public sealed class DateOfBirthAttribute() : DataClassificationAttribute(ClinicBotData.DateOfBirth);
