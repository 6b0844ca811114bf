namespace ClinicBot.Dialogs.Phrasing;

/// <summary>What the bot says when something goes wrong on its side or the input cannot be used as sent.</summary>
public static class SystemPhrases
{
    public const string TurnFailedApology =
        "I'm sorry, something went wrong on my side and I lost track of what we were doing. " +
        "Nothing you told me is lost. Could you tell me again what you need?";

    public static string MessageTooLong(int maxCharacters) =>
        $"That message is a bit long for me to read in one go. Could you send it in a shorter message (under {maxCharacters:N0} characters)?";

    public static string AttachmentsNotAccepted(int maxAttachments) =>
        $"I can only accept photos (JPEG, PNG or HEIC) and PDFs, up to {maxAttachments} at a time. " +
        "Could you send it again in one of those formats, or tell me in words what you need?";
}
