using ClinicBot.Bot.Safety;
using ClinicBot.Dialogs.Safety;
using ClinicBot.Tests.Deployment;
using ClinicBot.Tests.Support;
using Microsoft.Extensions.Options;

namespace ClinicBot.Tests.Safety;

/// <summary>
/// Holds the detector's measured quality on the blind labelled sets (README, "Safety"): a change that loses a red flag
/// or cries wolf more often fails here. tools/Evaluate -- --safety prints the same figures with every miss.
/// </summary>
public sealed class RedFlagEvaluationTests
{
    [Fact]
    public async Task HeldOutSetAnswersAllButOneRedFlagAndFlagsAtMostFourPercentOfOrdinaryMessages()
    {
        var summary = await SummarizeAsync("red-flag-holdout.tsv");

        Assert.True(summary.Caught >= summary.RedFlags - 1, $"held-out red flags answered: {summary.Caught}/{summary.RedFlags}");
        Assert.True(summary.FalseAlarmRate <= 0.04, $"held-out ordinary messages given a safety reply: {summary.FalseAlarmRate:P1}");
        Assert.True(summary.OrdinaryFlagged <= 1, $"held-out ordinary messages treated as emergencies: {summary.OrdinaryFlagged}");
    }

    [Fact]
    public async Task TuningSetAnswersAllButTwoRedFlagsAndNeverTreatsAnOrdinaryMessageAsAnEmergency()
    {
        var summary = await SummarizeAsync("red-flag-tuning.tsv");

        Assert.True(summary.Caught >= summary.RedFlags - 2, $"tuning red flags answered: {summary.Caught}/{summary.RedFlags}");
        Assert.Equal(0, summary.OrdinaryFlagged);
        Assert.True(summary.FalseAlarmRate <= 0.12, $"tuning ordinary messages checked in on: {summary.FalseAlarmRate:P1}");
    }

    [Fact]
    public void AnExamplesFileWithABadLineFailsNamingTheLine()
    {
        var error = Assert.Throws<InvalidOperationException>(() => RedFlagExamples.Parse(["# comment", "none\thello", "urgent\tmy chest hurts"], "examples.tsv"));
        Assert.Equal("examples.tsv, line 3: unknown label 'urgent' (none, emergency, crisis or violence).", error.Message);
        Assert.Contains("line 1", Assert.Throws<InvalidOperationException>(() => RedFlagExamples.Parse(["no tab here"], "x")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ExamplesAreHashedByContentSoCachedEmbeddingsOfOtherExamplesAreNeverReused()
    {
        var a = RedFlagExamples.Parse(["none\thello", "crisis\ti want to die"], "a");
        var b = RedFlagExamples.Parse(["none\thello", "crisis\ti want to die"], "b");
        var c = RedFlagExamples.Parse(["none\thello", "emergency\ti want to die"], "c");
        Assert.Equal(a.ContentHash, b.ContentHash);
        Assert.NotEqual(a.ContentHash, c.ContentHash);
    }

    private static async Task<RedFlagSummary> SummarizeAsync(string file)
    {
        var model = SharedRedFlagModel.Instance;
        var detector = new RedFlagDetector(model, Options.Create(new SafetyOptions()));
        var set = RedFlagExamples.Load(RepositoryFiles.PathOf("tests/ClinicBot.Tests/Safety/" + file));
        return (await RedFlagEvaluation.RunAsync(detector, model, set, default)).Summarize(detector);
    }
}
