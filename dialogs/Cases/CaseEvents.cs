namespace ClinicBot.Dialogs.Cases;

public static class CaseEvents
{
    /// <summary>A staff member approved a remedy; the bot tells the patient. Value: <see cref="RemedyApprovedValue"/>.</summary>
    public const string RemedyApproved = "clinicbot.case.remedy";
}

public sealed record RemedyApprovedValue(string Reference, string Remedy);
