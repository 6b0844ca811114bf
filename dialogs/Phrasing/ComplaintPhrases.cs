namespace ClinicBot.Dialogs.Phrasing;

/// <summary>What the bot says about complaints. Apologises and invites; never argues, never names health details.</summary>
public static class ComplaintPhrases
{
    /// <summary>The one private Messenger reply to a negative comment on the clinic's page.</summary>
    public static string PrivateReplyToComment(string? firstName, string clinicName, string caseReference) =>
        $"Hi{(firstName is null ? string.Empty : " " + firstName)}, this is {clinicName}. We're truly sorry about your experience, and thank you for telling us. " +
        "We'd like to put it right: please reply here in Messenger and a member of our team will look into it with you personally. " +
        $"Your reference is {caseReference}.";

    /// <summary>Apologises for the experience and reflects back what the patient said, for a yes/no check.</summary>
    public static string Reflect(string? firstName, string reflection) =>
        $"I'm sorry{(firstName is null ? string.Empty : ", " + firstName)}. You're telling me {reflection} — did I get that right?";

    public const string ReflectRetry = "Did I get that right? Please say yes or no.";

    public const string AskInOwnWords = "Thank you for correcting me. Could you tell me in your own words what happened?";

    public const string AskDetails =
        "Thank you for telling us. So our team can look into it properly, could you share the date of your visit, which clinic you were at, " +
        "and the name of the staff member if you know it? One message is fine.";

    public static string CaseOpened(string reference, string who, string dueBy) =>
        $"Thank you. I've opened case {reference} and passed it to {who}, who will review what happened and get back to you here by {dueBy}. " +
        "Please keep the reference handy.";

    /// <summary>Sent only after a staff member approved a remedy in the console.</summary>
    public static string RemedyApproved(string? firstName, string reference, string remedy) =>
        $"Hi{(firstName is null ? string.Empty : " " + firstName)}, about your case {reference}: our team has reviewed it and we'd like to offer you {remedy}. " +
        "Just reply here if you'd like to take it up.";
}
