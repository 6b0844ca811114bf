namespace ClinicBot.Dialogs.Phrasing;

/// <summary>What the bot says when it finds out for the patient instead of guessing.</summary>
public static class FollowUpPhrases
{
    public const string LetMeFindOut = "Let me try to find out for you.";

    public static string WhoAndWhen(string teamName, string dueBy) =>
        $"I've passed your question to {teamName}, and they'll get the answer back to you by {dueBy}. The answer will appear right here in this chat.";

    public const string AskForContact =
        "In case you leave this page before then, would you like to leave a phone number or email so we can reach you? You can also say \"skip\".";

    public const string ContactRetry =
        "That doesn't look like a phone number or email address I can use. Could you check it? For example 555-123-4567 or name@example.com. Or say \"skip\".";

    public static string ContactSaved(string contact) => $"Thank you. If you're not here when the answer is ready, we'll reach you at {contact}.";

    public const string NoContactNeeded = "No problem. The answer will be waiting for you in this chat.";

    public static string AnswerDelivered(string? firstName, string question, string answer) =>
        (firstName is null ? "Hi! " : $"Hi {firstName}! ") +
        $"Earlier you asked: \"{question}\". Here's the answer from our team: {answer}";

    /// <summary>Said when a patient leaves an over-long or odd contact and we give up asking.</summary>
    public const string ContactGaveUp = "No worries, let's leave it there. The answer will appear right here in this chat.";
}
