using YamlDotNet.Serialization;

namespace ClinicBot.Dialogs.Sentiment;

/// <summary>Measures a mood detector on a labelled set: precision and recall per mood.</summary>
public static class SentimentEvaluation
{
    /// <summary>Reads a YAML map of mood name to a list of messages.</summary>
    public static IReadOnlyList<(string Text, Mood Expected)> LoadSet(string path)
    {
        var map = new DeserializerBuilder().Build().Deserialize<Dictionary<string, List<string>>>(File.ReadAllText(path));
        return map.SelectMany(kv => kv.Value.Select(text => (text, Enum.Parse<Mood>(kv.Key, ignoreCase: true)))).ToList();
    }

    public static SentimentReport Run(ISentimentDetector detector, IReadOnlyList<(string Text, Mood Expected)> cases)
    {
        ArgumentNullException.ThrowIfNull(detector);
        var outcomes = cases.Select(c => (c.Text, c.Expected, Actual: detector.Read(c.Text).Mood)).ToList();
        var perMood = Enum.GetValues<Mood>().ToDictionary(
            mood => mood,
            mood =>
            {
                var predicted = outcomes.Count(o => o.Actual == mood);
                var actual = outcomes.Count(o => o.Expected == mood);
                var correct = outcomes.Count(o => o.Actual == mood && o.Expected == mood);
                return new MoodScore(predicted == 0 ? 1 : (double)correct / predicted, actual == 0 ? 1 : (double)correct / actual, actual);
            });
        return new SentimentReport(perMood, outcomes.Where(o => o.Actual != o.Expected).Select(o => (o.Text, o.Expected, o.Actual)).ToList(), outcomes.Count);
    }
}

public sealed record MoodScore(double Precision, double Recall, int Support);

public sealed record SentimentReport(IReadOnlyDictionary<Mood, MoodScore> Scores, IReadOnlyList<(string Text, Mood Expected, Mood Actual)> Mistakes, int Total)
{
    public double Accuracy => 1 - ((double)Mistakes.Count / Total);
}
