using ClinicBot.Dialogs.Safety;

namespace ClinicBot.Bot.Safety;

/// <summary>
/// Measures the red-flag detector on a labelled set (tools/Evaluate -- --safety). A red flag counts as caught when the
/// bot answers it with a safety reply (red flag or check-in: both name the emergency number and the crisis line); an
/// ordinary message counts as flagged when it gets either. The model scores each message once, so thresholds can be
/// swept without running it again.
/// </summary>
public static class RedFlagEvaluation
{
    public static async Task<RedFlagReport> RunAsync(RedFlagDetector detector, IRedFlagModel model, RedFlagExamples set, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(detector);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(set);
        var outcomes = new List<RedFlagOutcome>();
        foreach (var (label, text) in set.Items)
        {
            outcomes.Add(new RedFlagOutcome(text, label, detector.MatchPhrase(text), await model.ScoreAsync(text, cancellationToken)));
        }

        return new RedFlagReport(outcomes);
    }
}

/// <summary>One labelled message: what the phrases found and what the model scored.</summary>
public sealed record RedFlagOutcome(string Text, RedFlag Expected, RedFlag? Phrase, RedFlagScores Scores)
{
    public RedFlagAssessment Decide(RedFlagDetector detector) =>
        Phrase is { } flag ? new RedFlagAssessment(SafetyLevel.RedFlag, flag, RedFlagSource.Phrase, Scores) : detector.Decide(Scores);
}

public sealed class RedFlagReport(IReadOnlyList<RedFlagOutcome> outcomes)
{
    public IReadOnlyList<RedFlagOutcome> Outcomes => outcomes;

    public RedFlagSummary Summarize(RedFlagDetector detector)
    {
        ArgumentNullException.ThrowIfNull(detector);
        var decided = outcomes.Select(o => (Outcome: o, Assessment: o.Decide(detector))).ToList();
        var redFlags = decided.Where(d => d.Outcome.Expected != RedFlag.None).ToList();
        var ordinary = decided.Where(d => d.Outcome.Expected == RedFlag.None).ToList();
        var perFlag = new[] { RedFlag.Emergency, RedFlag.Crisis, RedFlag.Violence }.ToDictionary(
            flag => flag,
            flag =>
            {
                var of = redFlags.Where(d => d.Outcome.Expected == flag).ToList();
                return new RedFlagCategoryScore(
                    of.Count,
                    of.Count(d => d.Assessment.Level != SafetyLevel.None),
                    of.Count(d => d.Assessment.IsRedFlag),
                    of.Count(d => d.Assessment.Level != SafetyLevel.None && d.Assessment.Flag == flag));
            });
        return new RedFlagSummary(
            redFlags.Count,
            redFlags.Count(d => d.Assessment.Level != SafetyLevel.None),
            redFlags.Count(d => d.Assessment.IsRedFlag),
            ordinary.Count,
            ordinary.Count(d => d.Assessment.IsRedFlag),
            ordinary.Count(d => d.Assessment.Level == SafetyLevel.CheckIn),
            perFlag,
            redFlags.Where(d => d.Assessment.Level == SafetyLevel.None).Select(d => d.Outcome).ToList(),
            ordinary.Where(d => d.Assessment.Level != SafetyLevel.None).Select(d => (d.Outcome, d.Assessment)).ToList());
    }
}

/// <param name="Answered">Got a safety reply (red flag or check-in).</param>
/// <param name="RightCategory">Got a safety reply for its own category (the crisis line for a crisis...).</param>
public sealed record RedFlagCategoryScore(int Count, int Answered, int Flagged, int RightCategory);

public sealed record RedFlagSummary(
    int RedFlags,
    int Caught,
    int CaughtAsRedFlag,
    int Ordinary,
    int OrdinaryFlagged,
    int OrdinaryCheckedIn,
    IReadOnlyDictionary<RedFlag, RedFlagCategoryScore> PerFlag,
    IReadOnlyList<RedFlagOutcome> Missed,
    IReadOnlyList<(RedFlagOutcome Outcome, RedFlagAssessment Assessment)> FalseAlarms)
{
    public double Recall => RedFlags == 0 ? 1 : (double)Caught / RedFlags;

    /// <summary>Ordinary messages that got any safety reply (red flag or check-in).</summary>
    public double FalseAlarmRate => Ordinary == 0 ? 0 : (double)(OrdinaryFlagged + OrdinaryCheckedIn) / Ordinary;
}
