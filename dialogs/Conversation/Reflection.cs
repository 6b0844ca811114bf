using System.Text.RegularExpressions;

namespace ClinicBot.Dialogs.Conversation;

/// <summary>
/// Reflects back what a patient told us, in the second person ("my therapist was late" becomes "your
/// therapist was late"), leaving out pure verdicts like "Worst experience ever." so the facts remain.
/// </summary>
public static partial class Reflection
{
    private static readonly Dictionary<string, string> Swaps = new(StringComparer.OrdinalIgnoreCase)
    {
        ["i"] = "you", ["me"] = "you", ["my"] = "your", ["mine"] = "yours", ["myself"] = "yourself",
        ["i'm"] = "you're", ["im"] = "you're", ["i've"] = "you've", ["ive"] = "you've", ["i'd"] = "you'd", ["i'll"] = "you'll",
        ["am"] = "are", ["was"] = "was", ["we"] = "you", ["our"] = "your", ["us"] = "you",
    };

    public static string ToSecondPerson(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var sentences = Sentence().Split(text.Trim())
            .Select(s => s.Trim())
            .Where(s => s.Length > 0)
            .ToList();

        // "Worst experience ever." carries the feeling, not the facts; keep sentences with four words or more.
        var facts = sentences.Where(s => s.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length >= 4).ToList();
        var kept = facts.Count > 0 ? facts : sentences;
        var joined = string.Join(" and ", kept.Select(s => s.TrimEnd('.', '!', '?')));
        var swapped = Word().Replace(joined, m => Swaps.TryGetValue(m.Value, out var replacement) ? replacement : m.Value);

        // "you was" reads wrong after the swap.
        swapped = YouWas().Replace(swapped, "you were");
        return swapped.Length > 0 ? char.ToLowerInvariant(swapped[0]) + swapped[1..] : swapped;
    }

    [GeneratedRegex(@"(?<=[.!?])\s+")]
    private static partial Regex Sentence();

    [GeneratedRegex(@"\b[\p{L}']+\b")]
    private static partial Regex Word();

    [GeneratedRegex(@"\byou was\b", RegexOptions.IgnoreCase)]
    private static partial Regex YouWas();
}
