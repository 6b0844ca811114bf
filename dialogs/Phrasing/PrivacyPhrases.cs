namespace ClinicBot.Dialogs.Phrasing;

/// <summary>What the bot says about deleting a patient's data.</summary>
public static class PrivacyPhrases
{
    public const string ConfirmDeletion =
        "Just to make sure I have it right: you'd like us to delete your chats with us and what you've told me here " +
        "(your messages, questions waiting for an answer and contact details). A member of our team reviews every " +
        "request first. Is that right?";

    public const string DeletionRequested =
        "Okay. I've passed your request to our team. Once it's approved, I'll delete your data and let you know right here.";

    public const string DeletionNotRequested = "Okay, nothing will be deleted. What else can I help you with?";

    public const string DataDeleted =
        "Your request was approved and your data has been deleted: your chats with us, your questions and your contact " +
        "details. If you write again, I'll start fresh.";
}
