namespace ClinicBot.Dialogs.Phrasing;

/// <summary>What the bot says about complaints. Apologises and invites; never argues, never names health details.</summary>
public static class ComplaintPhrases
{
    /// <summary>The one private Messenger reply to a negative comment on the clinic's page.</summary>
    public static string PrivateReplyToComment(string? firstName, string clinicName, string caseReference) =>
        $"Hi{(firstName is null ? string.Empty : " " + firstName)}, this is {clinicName}. We're truly sorry about your experience, and thank you for telling us. " +
        "We'd like to put it right: please reply here in Messenger and a member of our team will look into it with you personally. " +
        $"Your reference is {caseReference}.";
}
