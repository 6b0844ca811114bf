namespace ClinicBot.Dialogs.Phrasing;

/// <summary>
/// What the bot says when a message carries a red flag. Said before anything else, whatever the bot was doing: the
/// number first, in one short sentence; then a human word; then, truthfully, what the clinic is doing about it.
/// Never answered from the FAQ.
/// </summary>
public static class SafetyPhrases
{
    public static string Emergency(string emergencyNumber) =>
        $"Please call {emergencyNumber} now or go to the nearest emergency room. " +
        "What you're describing could be a medical emergency, so please don't wait for a reply here.";

    public static string Crisis(string emergencyNumber, string crisisNumber, string crisisName, string? spanish) =>
        $"Please call or text {crisisNumber} now to reach {crisisName}{(string.IsNullOrWhiteSpace(spanish) ? string.Empty : $" ({spanish})")}, or call {emergencyNumber} if you're in danger right now. " +
        "I'm really sorry you're going through this, and I'm glad you told us. You don't have to go through this alone.";

    public static string Violence(string emergencyNumber) =>
        $"If you or anyone else is in danger, please call {emergencyNumber} now. I need to take what you said seriously.";

    /// <summary>Possibly a red flag: a gentle question that still gives both numbers.</summary>
    public static string CheckIn(string emergencyNumber, string crisisNumber) =>
        $"I want to make sure you're okay. If this is an emergency, please call {emergencyNumber} now; if you're thinking about hurting yourself, you can call or text {crisisNumber} any time. " +
        "Are you safe right now?";

    public const string CheckInSafe = "Thank you for letting me know, I'm glad. What can I help you with?";

    /// <summary>Someone on staff is online and has the alert.</summary>
    public const string StaffAlerted = "I've alerted our clinic staff, and a person will join this chat as soon as they can. I'm still here with you in the meantime.";

    /// <summary>The chat was already waiting for a person: it moved to the front of the line.</summary>
    public const string MovedToFront = "I've moved your chat to the front of the line and alerted our clinic staff.";

    public static string AgentAlerted(string agentName) =>
        $"I've flagged your message to {agentName}, who is with you in this chat.";

    /// <summary>Nobody is online: say so, and how and when the clinic can be reached.</summary>
    public static string NobodyOnline(string clinicPhone, string whenBack) =>
        $"Our staff aren't online right now; they will see your message when they're back, {whenBack}. " +
        $"You can also call the clinic at {clinicPhone}. I'm still here if you want to keep talking.";

    /// <summary>The line staff see in the handoff's transcript next to the patient's message.</summary>
    public static string StaffNote(Safety.RedFlag flag, string emergencyNumber, string crisisNumber) => flag switch
    {
        Safety.RedFlag.Crisis => $"RED FLAG (crisis): the bot gave the patient {crisisNumber} and {emergencyNumber}.",
        Safety.RedFlag.Violence => $"RED FLAG (violence or danger): the bot told the patient to call {emergencyNumber}.",
        _ => $"RED FLAG (medical emergency): the bot told the patient to call {emergencyNumber}.",
    };

    public const string StaffCheckInNote = "Possible red flag: the bot checked in and gave the emergency number and the crisis line.";
}
