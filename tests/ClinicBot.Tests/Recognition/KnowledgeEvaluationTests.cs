using ClinicBot.Bot.Recognition;
using ClinicBot.Dialogs.Knowledge;
using ClinicBot.Tests.Knowledge;
using Microsoft.Extensions.Logging.Abstractions;

namespace ClinicBot.Tests.Recognition;

/// <summary>
/// Quality gate on the labeled evaluation set (Knowledge/evaluation-set.yaml), run as the bot runs: medical-advice
/// detector first, then the recognizer at the configured threshold. Same figures as <c>dotnet run --project tools/Evaluate</c>.
/// </summary>
[Collection(MiniLmCollection.Name)]
public sealed class KnowledgeEvaluationTests(MiniLmFixture fixture) : IDisposable
{
    private readonly RecognizerSandbox _sandbox = new();

    public void Dispose() => _sandbox.Dispose();

    [Fact]
    public void Evaluation_set_is_large_enough_and_unseen()
    {
        var cases = KnowledgeEvaluation.LoadSet(Path.Combine(AppContext.BaseDirectory, "Knowledge", "evaluation-set.yaml"));
        var kb = KnowledgeBaseYaml.LoadFile(KnowledgeBaseYamlTests.SamplePath);
        var trainingTexts = kb.Entries.SelectMany(e => e.TrainingTexts).ToHashSet(StringComparer.OrdinalIgnoreCase);

        Assert.True(cases.Count(c => c.ExpectedId is not null) >= 80);
        Assert.True(cases.Count(c => c.ExpectedId is null) >= 40);
        Assert.True(cases.Count(c => c.Medical) >= 15);
        Assert.All(cases.Where(c => c.ExpectedId is not null), c => Assert.NotNull(kb.Find(c.ExpectedId!)));
        Assert.DoesNotContain(cases, c => trainingTexts.Contains(c.Text));
    }

    [Fact]
    public async Task Meets_the_quality_gate()
    {
        await AssertMeetsTheQualityGate(fixture.Embedder);
    }

    [Fact]
    public async Task Meets_the_quality_gate_with_the_7_bit_weights_of_CPUs_without_VNNI()
    {
        using var embedder = new MiniLmSentenceEmbedder(NullLogger<MiniLmSentenceEmbedder>.Instance, modelFolder: null, weightBits: 7);
        await AssertMeetsTheQualityGate(embedder);
    }

    private async Task AssertMeetsTheQualityGate(ISentenceEmbedder embedder)
    {
        var cases = KnowledgeEvaluation.LoadSet(Path.Combine(AppContext.BaseDirectory, "Knowledge", "evaluation-set.yaml"));
        using var recognizer = _sandbox.CreateRecognizer(embedder);

        var report = await KnowledgeEvaluation.RunAsync(recognizer, new MedicalAdviceDetector(), cases, _sandbox.Options.ConfidenceThreshold, CancellationToken.None);

        Assert.True(report.Precision >= 0.95, report.Summary());
        Assert.True(report.Coverage >= 0.75, report.Summary());
        Assert.True(report.MedicalAnswered == 0, report.Summary());
    }
}
