namespace ClinicBot.Dialogs.Phrasing;

/// <summary>Emergency guidance. Said before anything else, whatever the bot was doing.</summary>
public static class SafetyPhrases
{
    public static string Emergency(string emergencyNumber) =>
        $"What you're describing could be a medical emergency. Please call {emergencyNumber} now or go to the nearest emergency room. Don't wait for a reply here.";

    public static string Crisis(string emergencyNumber, string crisisNumber, string crisisName) =>
        $"I'm really sorry you're going through this, and I'm glad you told us. If you might act on these thoughts or you're in danger, please call {emergencyNumber} now. " +
        $"You can also call or text {crisisNumber} to reach {crisisName}, any time, day or night. You don't have to go through this alone.";

    public static string Violence(string emergencyNumber) =>
        $"I need to take what you said seriously. If anyone is in danger, please call {emergencyNumber} now.";

    public const string StaffAlerted = "I've also alerted our clinic staff so a person sees your message right away.";
}
