using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace ClinicBot.Dialogs.Safety;

/// <summary>
/// Spots emergencies and crises in any patient message, before anything else reads it. Errs toward safety:
/// only a plain negation right before the phrase ("no chest pain", "not suicidal") clears it.
/// </summary>
public sealed class RedFlagDetector
{
    private static readonly HashSet<string> SingleWordNegations = ["no", "not", "never", "without", "denies"];
    private static readonly HashSet<string> TwoWordNegations = ["don't have", "dont have", "didn't have", "didnt have", "haven't had", "havent had", "not any", "no more"];
    private readonly (RedFlag Flag, Regex Pattern)[] _patterns;

    public RedFlagDetector(IOptions<SafetyOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var safety = options.Value;

        // Crisis first: "I want to hurt myself" is a crisis, not a threat to others.
        _patterns =
        [
            (RedFlag.Crisis, Build(safety.CrisisPhrases)),
            (RedFlag.Emergency, Build(safety.EmergencyPhrases)),
            (RedFlag.Violence, Build(safety.ViolencePhrases)),
        ];
    }

    public RedFlag Detect(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return RedFlag.None;
        }

        var normalized = Normalize(text);
        foreach (var (flag, pattern) in _patterns)
        {
            foreach (Match match in pattern.Matches(normalized))
            {
                if (!IsNegated(normalized, match.Index))
                {
                    return flag;
                }
            }
        }

        return RedFlag.None;
    }

    private static Regex Build(IEnumerable<string> phrases)
    {
        var alternatives = phrases
            .Where(p => !string.IsNullOrWhiteSpace(p))
            .Select(p => Regex.Escape(Normalize(p)).Replace("\\ ", "\\s+", StringComparison.Ordinal))
            .OrderByDescending(p => p.Length);
        return new Regex(@"(?<![\p{L}\p{N}])(?:" + string.Join('|', alternatives) + @")(?![\p{L}\p{N}])", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Compiled, TimeSpan.FromMilliseconds(200));
    }

    private static string Normalize(string text) =>
        text.ToLowerInvariant().Replace('\u2019', '\'').Replace('\u2018', '\'');

    private static bool IsNegated(string text, int phraseStart)
    {
        var words = text[..phraseStart].Split((char[])[' ', '\t', '\n', ','], StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0)
        {
            return false;
        }

        return SingleWordNegations.Contains(words[^1])
            || (words.Length > 1 && TwoWordNegations.Contains(words[^2] + " " + words[^1]));
    }
}
