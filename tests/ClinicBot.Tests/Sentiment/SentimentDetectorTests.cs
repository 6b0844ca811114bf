using ClinicBot.Dialogs.Sentiment;

namespace ClinicBot.Tests.Sentiment;

public sealed class SentimentDetectorTests
{
    private static readonly string SetFolder = Path.Combine(AppContext.BaseDirectory, "Sentiment");
    private readonly LexiconSentimentDetector _detector = new();

    [Theory]
    [InlineData("sentiment-set.yaml")]
    [InlineData("sentiment-holdout.yaml")]
    public void NeverTakesACalmPatientForAnAbusiveOne(string set)
    {
        var report = SentimentEvaluation.Run(_detector, SentimentEvaluation.LoadSet(Path.Combine(SetFolder, set)));
        Assert.True(report.Scores[Mood.Abusive].Precision >= 0.95, $"abusive precision {report.Scores[Mood.Abusive].Precision:P1} on {set}");
        Assert.DoesNotContain(report.Mistakes, m => m.Expected == Mood.Calm && m.Actual is Mood.Abusive or Mood.Angry);
    }

    [Fact]
    public void TheLabelledSetIsLargeAndCoversEveryMood()
    {
        var cases = SentimentEvaluation.LoadSet(Path.Combine(SetFolder, "sentiment-set.yaml"));
        Assert.True(cases.Count >= 150);
        Assert.All(Enum.GetValues<Mood>(), mood => Assert.True(cases.Count(c => c.Expected == mood) >= 25, $"{mood} has too few examples"));
    }

    [Theory]
    [InlineData("my back is killing me, can I come in today?", Mood.Calm)]
    [InlineData("my son called me an idiot lol, do you see teens?", Mood.Calm)]
    [InlineData("he said \"you're useless\" to me, so I need help with my posture", Mood.Calm)]
    [InlineData("I had an MRI and my ACL is torn", Mood.Calm)]
    [InlineData("oh great, another bot. just perfect.", Mood.Frustrated)]
    [InlineData("I've been sitting in your waiting room for 40 minutes!!! nobody has called me. this is ridiculous", Mood.Angry)]
    [InlineData("that's your mistake, nobody told me. I'm leaving town tomorrow, I need to be seen TODAY", Mood.Angry)]
    [InlineData("you're a useless piece of sh*t", Mood.Abusive)]
    [InlineData("shut up you stupid bot", Mood.Abusive)]
    public void ReadsHardCases(string text, Mood expected) => Assert.Equal(expected, _detector.Read(text).Mood);
}
