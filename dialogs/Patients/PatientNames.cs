using System.Globalization;
using System.Text.RegularExpressions;

namespace ClinicBot.Dialogs.Patients;

/// <summary>Turns what channels send, and what patients type, into a first name fit to greet with.</summary>
public static partial class PatientNames
{
    private static readonly HashSet<string> NotNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "user", "you", "me", "guest", "visitor", "anonymous", "unknown", "patient", "webchat", "web chat", "test",
        "hi", "hello", "hey", "yes", "no", "ok", "okay", "thanks", "thank you", "help", "nope", "sure", "what",
    };

    /// <summary>The first name from a channel-provided display name, or null when it is not a person's name.</summary>
    public static string? FirstNameFromDisplayName(string? displayName)
    {
        if (string.IsNullOrWhiteSpace(displayName))
        {
            return null;
        }

        var trimmed = displayName.Trim();
        if (NotNames.Contains(trimmed) || !PlausibleName().IsMatch(trimmed))
        {
            return null;
        }

        var first = trimmed.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
        return NotNames.Contains(first) ? null : Capitalize(first);
    }

    /// <summary>
    /// Reads a name from the patient's answer to "what's your name?": "Dana", "I'm Dana", "my name is dana
    /// smith", "call me Dee". Returns null for anything that is not clearly a name (a question, a sentence).
    /// </summary>
    public static string? FromAnswer(string? answer)
    {
        if (string.IsNullOrWhiteSpace(answer))
        {
            return null;
        }

        var text = answer.Trim().TrimEnd('.', '!');
        var introduced = Introduction().Match(text);
        if (introduced.Success)
        {
            text = introduced.Groups["name"].Value;
        }

        if (text.Contains('?', StringComparison.Ordinal) || text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length > 3)
        {
            return null;
        }

        return FirstNameFromDisplayName(text);
    }

    /// <summary>"no", "I'd rather not", "skip", "prefer not to say"...</summary>
    public static bool IsDecline(string? answer) =>
        !string.IsNullOrWhiteSpace(answer) && Decline().IsMatch(answer.Trim());

    private static string Capitalize(string name)
    {
        // Keep deliberate mixed case ("McKenzie"); fix all-lower or all-caps typing.
        var mixedCase = name.Any(char.IsUpper) && name.Any(char.IsLower);
        return mixedCase ? name : CultureInfo.InvariantCulture.TextInfo.ToTitleCase(name.ToLowerInvariant());
    }

    [GeneratedRegex(@"^\p{L}[\p{L}'\-\.]*(\s+\p{L}[\p{L}'\-\.]*){0,3}$")]
    private static partial Regex PlausibleName();

    [GeneratedRegex(@"^(?:hi|hello|hey)?[,!\s]*(?:(?:my\s+name\s+is|my\s+name's|name's|i\s+am|i'm|im|it's|its|this\s+is|call\s+me)\s+)(?<name>.+)$", RegexOptions.IgnoreCase)]
    private static partial Regex Introduction();

    [GeneratedRegex(@"^(no|nope|nah|no thanks|no thank you|skip|pass|rather not|i'?d rather not( say)?|prefer not( to)?( say)?|i prefer not to( say)?|not telling|none of your business|anonymous|don'?t want to( say)?)[.!]*$", RegexOptions.IgnoreCase)]
    private static partial Regex Decline();
}
