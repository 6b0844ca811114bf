namespace ClinicBot.Dialogs.Phrasing;

/// <summary>What the bot says while answering, restating and confirming.</summary>
public static class AnswerPhrases
{
    /// <summary>Restates the patient's request in their own words and asks for a yes/no confirmation.</summary>
    public static string Restate(string patientWords) =>
        $"Just to make sure I have it right, you're asking: \"{Shorten(patientWords)}\" Is that right?";

    public static string RestateForTeam(string patientWords, string teamName) =>
        $"Just to make sure I have it right, you'd like help from {teamName} with: \"{Shorten(patientWords)}\" Is that right?";

    public const string RestateRetry = "Sorry, was that a yes or a no? You can tap one of the buttons.";

    /// <summary>The knowledge base's general answer, shared before finding out about the patient's own case.</summary>
    public static string GeneralAnswerFirst(string answer) => $"Here's what I can tell you in general: {answer}";

    public const string AskToRephrase = "Thanks for bearing with me. Could you put it another way, maybe with a few more details?";

    public const string OfferPersonAfterMisunderstandings =
        "I'm sorry I'm having trouble understanding. I'd rather not keep you going in circles, so would you like me to connect you with a person on our team?";

    public const string OfferPersonRetry = "Would you like me to connect you with a person? Please say yes or no.";

    public const string TryAgainWithoutPerson = "Okay. Whenever you're ready, tell me what you need in your own words and I'll do my best.";

    public const string AnythingElse = "Is there anything else I can help you with?";

    public static string YoureWelcome(string? firstName) =>
        firstName is null ? "You're very welcome! I'm here if anything else comes up." : $"You're very welcome, {firstName}! I'm here if anything else comes up.";

    public static string Hello(string? firstName) =>
        firstName is null ? "Hello! What can I help you with today?" : $"Hello {firstName}! What can I help you with today?";

    public const string MedicalQuestion =
        "That's a question about your health, so it should come from one of our physical therapists rather than from me.";

    public const string NonTextMessage =
        "Thanks for sending that. I can only read text messages, so could you tell me in words what you need?";

    private static string Shorten(string text)
    {
        var trimmed = text.Trim();
        return trimmed.Length <= 300 ? trimmed : trimmed[..297] + "...";
    }
}
