using System.Text.RegularExpressions;

namespace ClinicBot.Dialogs.Interruptions;

/// <summary>
/// Recognises help, start-over and talk-to-a-person requests. Deliberately strict: "help" alone is an
/// interruption, "can you help me with my bill" is a request for the main flow.
/// </summary>
public static partial class InterruptionRecognizer
{
    /// <summary>Whether a request for a person asks for someone senior (a supervisor or manager).</summary>
    public static bool AsksForSupervisor(string? text) =>
        text is not null && Supervisor().IsMatch(text);

    public static Interruption Recognize(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Interruption.None;
        }

        var normalized = text.Trim().ToLowerInvariant().Replace('\u2019', '\'');
        if (DeleteMyData().IsMatch(normalized))
        {
            return Interruption.DeleteMyData;
        }

        if (Person().IsMatch(normalized))
        {
            return Interruption.TalkToPerson;
        }

        if (StartOver().IsMatch(normalized))
        {
            return Interruption.StartOver;
        }

        return Help().IsMatch(normalized) ? Interruption.Help : Interruption.None;
    }

    [GeneratedRegex(@"\b(talk|speak|chat|connect me|put me through|transfer me)\b.{0,25}\b(real|live|actual)?\s*(person|human|someone|somebody|agent|staff|representative|rep|receptionist|front desk|operator|a nurse|therapist|supervisor|manager)\b|^(agent|human|representative|operator|real person|a person|live person|person please|human please|supervisor|manager)[.!]*$|\b(get|need|want)\s+(me\s+)?(a|an|the|your)\s+(real\s+|live\s+|actual\s+)?(person|human|agent|supervisor|manager)\b|\bnot\s+a\s+(bot|robot|machine)\b", RegexOptions.CultureInvariant)]
    private static partial Regex Person();

    [GeneratedRegex(@"\b(delete|erase|remove|wipe|forget)\b.{0,20}\b(my|all my|all of my)\b.{0,20}\b(data|information|info|personal details|details|records|messages|chats?|conversations?|history)\b|^forget me[.!]*$", RegexOptions.CultureInvariant)]
    private static partial Regex DeleteMyData();

    [GeneratedRegex(@"\b(supervisor|manager|someone in charge|person in charge)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Supervisor();

    [GeneratedRegex(@"^(start over|start again|restart|reset|cancel|never ?mind|nvm|forget it|stop|quit|let's start over|begin again)[.!]*$", RegexOptions.CultureInvariant)]
    private static partial Regex StartOver();

    [GeneratedRegex(@"^(help|help me|help!+|\?+|what can you do\??|what can i ask( you)?\??|menu|options|how does this work\??)[.!]*$", RegexOptions.CultureInvariant)]
    private static partial Regex Help();
}
