using System.Text.RegularExpressions;

namespace ClinicBot.Bot.Safety;

/// <summary>
/// The parts of a message the red-flag model reads: the whole message and, when it has several, each sentence or
/// clause. A red flag tucked into an ordinary request ("can I move Thursday, also my face feels numb on one side")
/// is diluted in the embedding of the whole; on its own it is not.
/// </summary>
internal static partial class MessageSegments
{
    /// <summary>Most parts read besides the whole message; later parts are read together.</summary>
    public const int MaxParts = 6;

    public static IReadOnlyList<string> Split(string text)
    {
        var whole = text.Trim();
        var parts = Separators().Split(whole)
            .Select(p => p.Trim())
            .Where(p => p.Any(char.IsLetter))
            .ToList();
        if (parts.Count <= 1)
        {
            return [whole];
        }

        if (parts.Count > MaxParts)
        {
            parts[MaxParts - 1] = string.Join(' ', parts.Skip(MaxParts - 1));
            parts.RemoveRange(MaxParts, parts.Count - MaxParts);
        }

        return [whole, .. parts];
    }

    // Sentence ends, line breaks and the joints patients put between two things: ", also", " but ", " and also ", " btw ".
    [GeneratedRegex(@"[.!?;\n]+\s*|,\s*(?:also|and|but|plus|btw|oh and)\b|\s(?:but|also|btw|plus)\s|\s-\s", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Separators();
}
