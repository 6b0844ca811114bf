using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace ClinicBot.Dialogs.Safety;

/// <summary>
/// Decides whether a patient message carries a red flag, before anything else reads it. The learned model
/// (<see cref="IRedFlagModel"/>) reads the meaning, so indirect wording, texting style and typos are heard; the
/// configured phrases are a floor under it (a match always counts, unless a plain negation comes right before it:
/// "no chest pain"). Thresholds and phrases: <see cref="SafetyOptions"/>.
/// </summary>
public sealed class RedFlagDetector
{
    private static readonly HashSet<string> SingleWordNegations = ["no", "not", "never", "without", "denies"];
    private static readonly HashSet<string> TwoWordNegations = ["don't have", "dont have", "didn't have", "didnt have", "haven't had", "havent had", "not any", "no more"];
    private readonly (RedFlag Flag, Regex Pattern)[] _patterns;
    private readonly IRedFlagModel _model;
    private readonly SafetyOptions _options;

    public RedFlagDetector(IRedFlagModel model, IOptions<SafetyOptions> options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        _model = model;
        _options = options.Value;

        // Crisis first: "I want to hurt myself" is a crisis, not a threat to others.
        _patterns =
        [
            (RedFlag.Crisis, Build(_options.CrisisPhrases)),
            (RedFlag.Emergency, Build(_options.EmergencyPhrases)),
            (RedFlag.Violence, Build(_options.ViolencePhrases)),
        ];
    }

    public async ValueTask<RedFlagAssessment> AssessAsync(string? text, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return RedFlagAssessment.Clear;
        }

        if (MatchPhrase(text) is { } phraseFlag)
        {
            return new RedFlagAssessment(SafetyLevel.RedFlag, phraseFlag, RedFlagSource.Phrase, default);
        }

        return Decide(await _model.ScoreAsync(text, cancellationToken));
    }

    /// <summary>The thresholds applied to the model's scores (also what tools/Evaluate sweeps).</summary>
    public RedFlagAssessment Decide(RedFlagScores scores)
    {
        // Crisis before emergency before violence when several pass: the crisis reply names both numbers.
        foreach (var (flag, threshold) in new[]
        {
            (RedFlag.Crisis, _options.CrisisThreshold),
            (RedFlag.Emergency, _options.EmergencyThreshold),
            (RedFlag.Violence, _options.ViolenceThreshold),
        })
        {
            if (scores.For(flag) >= threshold)
            {
                return new RedFlagAssessment(SafetyLevel.RedFlag, flag, RedFlagSource.Model, scores);
            }
        }

        return scores.Any >= _options.CheckInThreshold
            ? new RedFlagAssessment(SafetyLevel.CheckIn, scores.Likeliest, RedFlagSource.Model, scores)
            : new RedFlagAssessment(SafetyLevel.None, RedFlag.None, RedFlagSource.None, scores);
    }

    /// <summary>The first configured phrase in the message that is not negated, or null.</summary>
    public RedFlag? MatchPhrase(string text)
    {
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

        return null;
    }

    private static Regex Build(IEnumerable<string> phrases)
    {
        var alternatives = phrases
            .Where(p => !string.IsNullOrWhiteSpace(p))
            .Select(p => Regex.Escape(Normalize(p)).Replace("\\ ", "\\s+", StringComparison.Ordinal))
            .OrderByDescending(p => p.Length)
            .ToList();
        if (alternatives.Count == 0)
        {
            return new Regex("(?!)", RegexOptions.NonBacktracking);
        }

        // NonBacktracking runs in time linear in the input whatever the configured phrases are, so no match
        // timeout is needed (a timeout under CPU pressure would fail the very turn that reports an emergency).
        return new Regex(@"\b(?:" + string.Join('|', alternatives) + @")\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);
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
