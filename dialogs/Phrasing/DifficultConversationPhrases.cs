using System.Text.RegularExpressions;

namespace ClinicBot.Dialogs.Phrasing;

/// <summary>
/// What the bot says to upset patients. It acknowledges the feeling first, never argues, and never takes
/// blame the facts do not support: it is sorry for the experience, not for a fault nobody has established.
/// </summary>
public static partial class DifficultConversationPhrases
{
    /// <summary>The one boundary the bot sets with an abusive patient, word for word.</summary>
    public const string AbuseBoundary = "I'm trying to help you. I will have to ask you not to talk to me that way.";

    public const string AbuseBoundaryContinue = "If you'd like to carry on, I'm here. What can I help you with?";

    public const string AbuseEnded =
        "I'm going to end our automated conversation here. I've passed this chat to our clinic supervisor, who will review it and follow up with you.";

    public const string OfferSupervisor =
        "I can hear how upsetting this is, and I want it handled properly. Would you like me to bring in our clinic supervisor? They can look into what happened and what can be done.";

    public const string OfferSupervisorRetry = "Would you like me to bring in our clinic supervisor? Please say yes or no.";

    public const string SupervisorDeclined = "Okay. I'm still here and I'll do what I can. What would help most right now?";

    /// <summary>Acknowledges the feeling in words that fit what the patient is upset about.</summary>
    public static string Acknowledge(string text, bool angry)
    {
        var lower = text.ToLowerInvariant();
        if (Waiting().IsMatch(lower))
        {
            return "I'm sorry you've been waiting — that's frustrating.";
        }

        if (Billing().IsMatch(lower))
        {
            return "I'm sorry about the trouble with your bill — I can see why that's upsetting.";
        }

        if (Schedule().IsMatch(lower))
        {
            return "I'm sorry your plans have been disrupted — that's really frustrating.";
        }

        if (Visit().IsMatch(lower))
        {
            return "I'm sorry your visit went that way. That's not the experience we want for anyone.";
        }

        return angry
            ? "I'm sorry this has been so frustrating. I'm listening, and I want to help sort it out."
            : "I understand, and I'm sorry for the hassle. Let's see what I can do.";
    }

    [GeneratedRegex(@"wait|waiting|on hold|nobody (has )?called|no one (has )?called|callback|call back|hour|minutes")]
    private static partial Regex Waiting();

    [GeneratedRegex(@"bill|charge|invoice|refund|payment|fee|paid|pay")]
    private static partial Regex Billing();

    [GeneratedRegex(@"appointment|cancel|reschedul|moved|booking|leaving town|today|tomorrow")]
    private static partial Regex Schedule();

    [GeneratedRegex(@"therapist|session|rushed|late|rude|front desk|staff|visit|experience")]
    private static partial Regex Visit();
}
