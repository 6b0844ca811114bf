namespace ClinicBot.Dialogs.FollowUps;

public static class FollowUpEvents
{
    /// <summary>Staff answered a follow-up; the bot tells the patient. Value: <see cref="FollowUpAnsweredValue"/>.</summary>
    public const string Answered = "clinicbot.followup.answered";
}

public sealed record FollowUpAnsweredValue(string FollowUpId, string Question, string Answer);
