using System.Globalization;
using ClinicBot.Bot.Recognition;
using ClinicBot.Bot.Safety;
using ClinicBot.Dialogs.Safety;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ClinicBot.Evaluate;

/// <summary>
/// Red-flag detector quality on the labelled sets: dotnet run -c Release --project tools/Evaluate -- --safety
/// [--examples PATH] [--set PATH]... [--verbose] [--sweep] [--emergency X --crisis X --violence X --check-in X]
/// [--lr X --l2 X --epochs N --red-weight X]. Without --set: the tuning half and the held-out half. Exit code 0 when the
/// last set (the held-out half by default) meets the gate: every red flag answered, at most 2 % of ordinary messages.
/// </summary>
internal static class SafetyCommand
{
    public static async Task<int> RunAsync(string root, Func<string, string?> arg, Func<string, bool> flag, IReadOnlyList<string> sets)
    {
        var examplesPath = arg("--examples") ?? Path.Combine(root, "bot", "safety", "red-flag-examples.tsv");
        var setPaths = sets.Count > 0 ? sets : [Path.Combine(root, "tests", "ClinicBot.Tests", "Safety", "red-flag-tuning.tsv"), Path.Combine(root, "tests", "ClinicBot.Tests", "Safety", "red-flag-holdout.tsv")];
        var defaults = new SafetyOptions();
        var options = new SafetyOptions
        {
            EmergencyThreshold = Number(arg("--emergency")) ?? defaults.EmergencyThreshold,
            CrisisThreshold = Number(arg("--crisis")) ?? defaults.CrisisThreshold,
            ViolenceThreshold = Number(arg("--violence")) ?? defaults.ViolenceThreshold,
            CheckInThreshold = Number(arg("--check-in")) ?? defaults.CheckInThreshold,
        };
        var training = RedFlagTrainingSettings.Default;
        var redWeight = Number(arg("--red-weight"));
        training = training with
        {
            LearningRate = Number(arg("--lr")) ?? training.LearningRate,
            L2 = Number(arg("--l2")) ?? training.L2,
            Epochs = (int?)Number(arg("--epochs")) ?? training.Epochs,
            ClassWeights = redWeight is { } w ? [1, w, w, w] : training.ClassWeights,
            LexicalValue = Number(arg("--lexical")) ?? training.LexicalValue,
            LexicalL2 = Number(arg("--lexical-l2")) ?? training.LexicalL2,
        };

        using var embedder = new MiniLmSentenceEmbedder(NullLogger<MiniLmSentenceEmbedder>.Instance);
        await using var queries = new QueryEmbeddingBatcher(embedder);
        var examples = RedFlagExamples.Load(examplesPath);
        var model = new EmbeddingRedFlagModel(embedder, queries, () => examples, Path.Combine(Path.GetTempPath(), "clinicbot-evaluate-cache"), NullLogger.Instance, training);
        var trainingStarted = System.Diagnostics.Stopwatch.GetTimestamp();
        await model.WarmUpAsync(CancellationToken.None);
        var trainingMs = System.Diagnostics.Stopwatch.GetElapsedTime(trainingStarted).TotalMilliseconds;
        var detector = new RedFlagDetector(model, Options.Create(options));
        Console.WriteLine($"Red-flag model: {examples.Items.Count} training examples ({examplesPath}), trained in {trainingMs:F0} ms");
        Console.WriteLine($"Thresholds: emergency {options.EmergencyThreshold} crisis {options.CrisisThreshold} violence {options.ViolenceThreshold} check-in {options.CheckInThreshold}; training lr {training.LearningRate} l2 {training.L2} lexical {training.LexicalValue} lexical-l2 {training.LexicalL2} epochs {training.Epochs} weights [{string.Join(", ", training.ClassWeights)}]");
        Console.WriteLine();
        Console.WriteLine("| set | red flags answered | as red flag | right category | ordinary flagged | ordinary checked in | false alarms |");
        Console.WriteLine("|---|---|---|---|---|---|---|");

        RedFlagSummary? last = null;
        var reports = new List<(string Name, RedFlagReport Report)>();
        foreach (var path in setPaths)
        {
            var set = RedFlagExamples.Load(path);
            var report = await RedFlagEvaluation.RunAsync(detector, model, set, CancellationToken.None);
            reports.Add((Path.GetFileNameWithoutExtension(path), report));
            last = report.Summarize(detector);
            var right = last.PerFlag.Values.Sum(s => s.RightCategory);
            Console.WriteLine($"| {Path.GetFileNameWithoutExtension(path)} | {last.Caught}/{last.RedFlags} ({last.Recall:P1}) | {last.CaughtAsRedFlag} | {right} | {last.OrdinaryFlagged}/{last.Ordinary} | {last.OrdinaryCheckedIn} | {last.FalseAlarmRate:P1} |");
        }

        Console.WriteLine();
        foreach (var (name, report) in reports)
        {
            var summary = report.Summarize(detector);
            Console.WriteLine($"{name}: " + string.Join("; ", summary.PerFlag.Select(p => $"{p.Key} {p.Value.Answered}/{p.Value.Count} answered, {p.Value.Flagged} as red flag, {p.Value.RightCategory} right category")));
            if (flag("--verbose"))
            {
                foreach (var missed in summary.Missed)
                {
                    Console.WriteLine($"  MISSED {missed.Expected}: e={missed.Scores.Emergency:F2} c={missed.Scores.Crisis:F2} v={missed.Scores.Violence:F2}  {missed.Text}");
                }

                foreach (var (outcome, assessment) in summary.FalseAlarms)
                {
                    Console.WriteLine($"  FALSE {assessment.Level}/{assessment.Flag} ({assessment.Source}): e={outcome.Scores.Emergency:F2} c={outcome.Scores.Crisis:F2} v={outcome.Scores.Violence:F2}  {outcome.Text}");
                }

                foreach (var wrong in report.Outcomes.Where(o => o.Expected != RedFlag.None && o.Decide(detector) is { Level: not SafetyLevel.None } a && a.Flag != o.Expected))
                {
                    Console.WriteLine($"  CATEGORY {wrong.Expected} as {wrong.Decide(detector).Flag}: {wrong.Text}");
                }
            }
        }

        if (flag("--sweep"))
        {
            Console.WriteLine();
            Console.WriteLine("Sweep (one threshold for the three categories; check-in threshold alongside):");
            foreach (var red in new[] { 0.3, 0.4, 0.5, 0.6, 0.7 })
            {
                foreach (var checkIn in new[] { 0.1, 0.15, 0.2, 0.25, 0.3 }.Where(c => c <= red))
                {
                    var swept = new RedFlagDetector(model, Options.Create(new SafetyOptions { EmergencyThreshold = red, CrisisThreshold = red, ViolenceThreshold = red, CheckInThreshold = checkIn }));
                    Console.WriteLine($"  red {red:F2} check-in {checkIn:F2}: " + string.Join("  ", reports.Select(r =>
                    {
                        var s = r.Report.Summarize(swept);
                        return $"{r.Name} {s.Caught}/{s.RedFlags} fa {s.OrdinaryFlagged}+{s.OrdinaryCheckedIn}/{s.Ordinary}";
                    })));
                }
            }
        }

        var gate = last is not null && last.Caught == last.RedFlags && last.FalseAlarmRate <= 0.02;
        Console.WriteLine();
        Console.WriteLine(gate ? "Safety gate: PASS (every red flag answered, at most 2 % of ordinary messages flagged)" : "Safety gate: FAIL");
        return gate ? 0 : 1;
    }

    private static double? Number(string? text) => text is null ? null : double.Parse(text, CultureInfo.InvariantCulture);
}
