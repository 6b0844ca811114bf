using ClinicBot.Dialogs.Knowledge;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace ClinicBot.Bot.Recognition;

/// <summary>One labeled evaluation question: in scope when <see cref="ExpectedId"/> is set.</summary>
public sealed record EvaluationCase(string Text, string? ExpectedId, bool Medical);

/// <summary>What happened to one evaluation question.</summary>
public sealed record EvaluationOutcome(EvaluationCase Case, bool FlaggedMedical, string? PredictedId, double Confidence, bool Answered)
{
    public bool Correct => Case.ExpectedId is not null && string.Equals(PredictedId, Case.ExpectedId, StringComparison.Ordinal);
}

/// <summary>Quality figures of the FAQ pipeline (medical detector, then recognizer at a threshold) on a labeled set.</summary>
public sealed record EvaluationReport(IReadOnlyList<EvaluationOutcome> Outcomes, double Threshold)
{
    public IEnumerable<EvaluationOutcome> InScope => Outcomes.Where(o => o.Case.ExpectedId is not null);

    public IEnumerable<EvaluationOutcome> OutOfScope => Outcomes.Where(o => o.Case.ExpectedId is null);

    public int InScopeCount => InScope.Count();

    /// <summary>Share of in-scope questions whose most likely entry is the right one (threshold and detector ignored).</summary>
    public double Top1Accuracy => Ratio(InScope.Count(o => o.Correct), InScopeCount);

    /// <summary>Share of in-scope questions the bot answers (right or wrong).</summary>
    public double Coverage => Ratio(InScope.Count(o => o.Answered), InScopeCount);

    /// <summary>Share of all answers (in-scope and out-of-scope questions) that are the right entry.</summary>
    public double Precision => Ratio(InScope.Count(o => o.Answered && o.Correct), Outcomes.Count(o => o.Answered));

    public int AnsweredCount => Outcomes.Count(o => o.Answered);

    public int WrongAnswers => Outcomes.Count(o => o.Answered && !o.Correct);

    public int OutOfScopeAnswered => OutOfScope.Count(o => o.Answered);

    public int MedicalAnswered => Outcomes.Count(o => o.Case.Medical && o.Answered);

    public int MedicalCount => Outcomes.Count(o => o.Case.Medical);

    public int MedicalFlaggedByDetector => Outcomes.Count(o => o.Case.Medical && o.FlaggedMedical);

    /// <summary>In-scope questions the detector wrongly took for medical advice.</summary>
    public int InScopeFlaggedMedical => InScope.Count(o => o.FlaggedMedical);

    /// <summary>The same outcomes judged at another threshold.</summary>
    public EvaluationReport AtThreshold(double threshold) =>
        new(Outcomes.Select(o => o with { Answered = !o.FlaggedMedical && o.PredictedId is not null && o.Confidence >= threshold }).ToArray(), threshold);

    public string Summary() =>
        $"threshold {Threshold:F2}: top-1 accuracy {Top1Accuracy:P1} ({InScope.Count(o => o.Correct)}/{InScopeCount}), "
        + $"coverage {Coverage:P1} ({InScope.Count(o => o.Answered)}/{InScopeCount}), "
        + $"precision {Precision:P1} ({AnsweredCount - WrongAnswers}/{AnsweredCount}), "
        + $"out-of-scope answered {OutOfScopeAnswered}/{OutOfScope.Count()}, medical answered {MedicalAnswered}/{MedicalCount} "
        + $"(detector flagged {MedicalFlaggedByDetector}), in-scope flagged medical {InScopeFlaggedMedical}";

    private static double Ratio(int numerator, int denominator) => denominator == 0 ? 1 : (double)numerator / denominator;
}

/// <summary>Runs a labeled evaluation set through the medical detector and the recognizer, as the bot would.</summary>
public static class KnowledgeEvaluation
{
    public static IReadOnlyList<EvaluationCase> LoadSet(string path)
    {
        var file = new DeserializerBuilder().WithNamingConvention(CamelCaseNamingConvention.Instance).Build()
            .Deserialize<SetFile>(File.ReadAllText(path));
        return [
            .. (file.InScope ?? []).Select(c => new EvaluationCase(c.Text ?? string.Empty, c.Expected ?? throw new InvalidDataException($"{path}: in-scope case '{c.Text}' has no 'expected'"), c.Medical)),
            .. (file.OutOfScope ?? []).Select(c => new EvaluationCase(c.Text ?? string.Empty, null, c.Medical)),
        ];
    }

    public static async Task<EvaluationReport> RunAsync(
        IQuestionRecognizer recognizer, MedicalAdviceDetector detector, IReadOnlyList<EvaluationCase> cases, double threshold, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(recognizer);
        ArgumentNullException.ThrowIfNull(detector);
        ArgumentNullException.ThrowIfNull(cases);
        var outcomes = new List<EvaluationOutcome>(cases.Count);
        foreach (var c in cases)
        {
            var flagged = detector.IsMedicalAdvice(c.Text);
            var result = await recognizer.RecognizeAsync(c.Text, cancellationToken);
            outcomes.Add(new EvaluationOutcome(c, flagged, result.Best?.Id, result.Confidence, Answered: false));
        }

        return new EvaluationReport(outcomes, threshold).AtThreshold(threshold);
    }

    private sealed class SetFile
    {
        public List<CaseDto>? InScope { get; set; }

        public List<CaseDto>? OutOfScope { get; set; }
    }

    private sealed class CaseDto
    {
        public string? Text { get; set; }

        public string? Expected { get; set; }

        public bool Medical { get; set; }
    }
}
