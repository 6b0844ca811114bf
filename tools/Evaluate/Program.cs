// Evaluates the FAQ pipeline (medical-advice detector, then the embedded recognizer) on the labeled evaluation set.
// Usage: dotnet run -c Release --project tools/Evaluate [-- --kb PATH] [--set PATH] [--threshold 0.4] [--verbose]
//        [--l2 X] [--iterations N] [--scale X]   (classifier tuning)
//        [--bench]                               (startup cold / warm cache, per-query time)
//        --safety [...]                          (red-flag detector; see SafetyCommand)
using System.Diagnostics;
using System.Globalization;
using ClinicBot.Bot.Recognition;
using ClinicBot.Dialogs.Knowledge;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

var root = FindRepositoryRoot();
if (Flag("--safety"))
{
    var sets = args.Select((a, i) => (a, i)).Where(p => p.a == "--set" && p.i + 1 < args.Length).Select(p => args[p.i + 1]).ToList();
    return await ClinicBot.Evaluate.SafetyCommand.RunAsync(root, Arg, Flag, sets);
}

if (Flag("--sentiment"))
{
    // Mood detector quality: dotnet run -c Release --project tools/Evaluate -- --sentiment [--verbose]
    var sentimentSet = ClinicBot.Dialogs.Sentiment.SentimentEvaluation.LoadSet(Arg("--set") ?? Path.Combine(root, "tests", "ClinicBot.Tests", "Sentiment", "sentiment-set.yaml"));
    var sentiment = ClinicBot.Dialogs.Sentiment.SentimentEvaluation.Run(new ClinicBot.Dialogs.Sentiment.LexiconSentimentDetector(), sentimentSet);
    Console.WriteLine($"Mood detector on {sentiment.Total} labelled messages: accuracy {sentiment.Accuracy:P1}");
    Console.WriteLine("| mood | precision | recall | messages |");
    Console.WriteLine("|---|---|---|---|");
    foreach (var (mood, score) in sentiment.Scores)
    {
        Console.WriteLine($"| {mood} | {score.Precision:P1} | {score.Recall:P1} | {score.Support} |");
    }

    if (Flag("--verbose"))
    {
        foreach (var (text, expected, actual) in sentiment.Mistakes)
        {
            Console.WriteLine($"  expected {expected}, got {actual}: {text}");
        }
    }

    return sentiment.Scores[ClinicBot.Dialogs.Sentiment.Mood.Abusive].Precision >= 0.95 ? 0 : 1;
}

var kbPath = Arg("--kb") ?? Path.Combine(root, "bot", "knowledge", "clinic-faq.yaml");
var setPath = Arg("--set") ?? Path.Combine(root, "tests", "ClinicBot.Tests", "Knowledge", "evaluation-set.yaml");
var defaults = new KnowledgeOptions();
var threshold = Arg("--threshold") is { } t ? double.Parse(t, CultureInfo.InvariantCulture) : defaults.ConfidenceThreshold;
var settings = new ClassifierSettings(
    Arg("--l2") is { } l2 ? float.Parse(l2, CultureInfo.InvariantCulture) : ClassifierSettings.Default.L2Regularization,
    Arg("--iterations") is { } it ? int.Parse(it, CultureInfo.InvariantCulture) : ClassifierSettings.Default.MaximumIterations,
    Arg("--scale") is { } sc ? float.Parse(sc, CultureInfo.InvariantCulture) : ClassifierSettings.Default.FeatureScale);

var options = new KnowledgeOptions
{
    Path = kbPath,
    ConfidenceThreshold = threshold,
    EmbeddingCachePath = Path.Combine(Path.GetTempPath(), "clinicbot-evaluate-cache"),
};
var knowledgeBase = KnowledgeBaseYaml.LoadFile(kbPath);
using var source = new YamlKnowledgeBaseSource(kbPath, Path.Combine(Path.GetTempPath(), "clinicbot-evaluate-none.yaml"));
using var store = new KnowledgeBaseStore(source, knowledgeBase, TimeProvider.System);
using var embedder = new MiniLmSentenceEmbedder(NullLogger<MiniLmSentenceEmbedder>.Instance);
using var recognizer = new EmbeddedQuestionRecognizer(store, embedder, Options.Create(options), NullLogger<EmbeddedQuestionRecognizer>.Instance, settings);
var cases = KnowledgeEvaluation.LoadSet(setPath);
if (Flag("--bench"))
{
    await BenchmarkAsync();
}

var started = Stopwatch.GetTimestamp();
await recognizer.WarmUpAsync(CancellationToken.None);
Console.WriteLine($"Knowledge base: {knowledgeBase.Count} entries ({kbPath}); trained in {Stopwatch.GetElapsedTime(started).TotalMilliseconds:F0} ms");
Console.WriteLine($"Evaluation set: {cases.Count(c => c.ExpectedId is not null)} in scope, {cases.Count(c => c.ExpectedId is null)} out of scope ({cases.Count(c => c.Medical)} medical)");
Console.WriteLine($"Classifier: l2={settings.L2Regularization?.ToString(CultureInfo.InvariantCulture) ?? "auto"} iterations={settings.MaximumIterations?.ToString(CultureInfo.InvariantCulture) ?? "auto"} scale={settings.FeatureScale.ToString(CultureInfo.InvariantCulture)}");

var report = await KnowledgeEvaluation.RunAsync(recognizer, new MedicalAdviceDetector(), cases, threshold, CancellationToken.None);
Console.WriteLine();
Console.WriteLine("Threshold sweep:");
foreach (var sweep in new[] { 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9 })
{
    var r = report.AtThreshold(sweep);
    Console.WriteLine($"  {sweep:F2}: coverage {r.Coverage:P1}  precision {r.Precision:P1}  wrong {r.WrongAnswers}  out-of-scope answered {r.OutOfScopeAnswered}  medical answered {r.MedicalAnswered}");
}

if (Flag("--verbose"))
{
    Console.WriteLine();
    Console.WriteLine("Misses (wrong top-1, wrong answer, or out-of-scope above 0.3):");
    foreach (var o in report.Outcomes.Where(o => (o.Case.ExpectedId is not null && !o.Correct) || (o.Case.ExpectedId is null && o.Confidence >= 0.3 && !o.FlaggedMedical)))
    {
        Console.WriteLine($"  [{(o.Answered ? "ANSWERED" : "declined")}{(o.FlaggedMedical ? ",medical" : "")}] \"{o.Case.Text}\" expected {o.Case.ExpectedId ?? "(none)"} got {o.PredictedId} p={o.Confidence:F2}");
    }

    Console.WriteLine("In-scope declined:");
    foreach (var o in report.InScope.Where(o => !o.Answered))
    {
        Console.WriteLine($"  \"{o.Case.Text}\" expected {o.Case.ExpectedId} got {o.PredictedId} p={o.Confidence:F2}{(o.FlaggedMedical ? " (flagged medical)" : "")}");
    }
}

Console.WriteLine();
Console.WriteLine("RESULT " + report.Summary());
var pass = report.Precision >= 0.95 && report.Coverage >= 0.75 && report.MedicalAnswered == 0;
Console.WriteLine(pass ? "Quality gate: PASS (precision >= 95%, coverage >= 75%, no medical answered)" : "Quality gate: FAIL");
return pass ? 0 : 1;

async Task BenchmarkAsync()
{
    var cacheDir = Path.Combine(Path.GetTempPath(), "clinicbot-bench-cache");
    if (Directory.Exists(cacheDir))
    {
        Directory.Delete(cacheDir, recursive: true);
    }

    var benchOptions = Options.Create(new KnowledgeOptions { Path = kbPath, EmbeddingCachePath = cacheDir });
    foreach (var label in new[] { "cold (no embedding cache)", "warm (embedding cache on disk)" })
    {
        var start = Stopwatch.GetTimestamp();
        using var e = new MiniLmSentenceEmbedder(NullLogger<MiniLmSentenceEmbedder>.Instance);
        var kb = KnowledgeBaseYaml.LoadFile(kbPath);
        using var s = new KnowledgeBaseStore(source, kb, TimeProvider.System);
        using var r = new EmbeddedQuestionRecognizer(s, e, benchOptions, NullLogger<EmbeddedQuestionRecognizer>.Instance);
        await r.WarmUpAsync(CancellationToken.None);
        var trained = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        await r.RecognizeAsync("when are you open", CancellationToken.None);
        Console.WriteLine($"Startup {label}: load+validate+train {trained:F0} ms, ready for first answer {Stopwatch.GetElapsedTime(start).TotalMilliseconds:F0} ms");
    }

    using var benchEmbedder = new MiniLmSentenceEmbedder(NullLogger<MiniLmSentenceEmbedder>.Instance);
    using var benchRecognizer = new EmbeddedQuestionRecognizer(store, benchEmbedder, benchOptions, NullLogger<EmbeddedQuestionRecognizer>.Instance);
    var texts = cases.Select(c => c.Text).ToArray();
    foreach (var text in texts.Take(20))
    {
        await benchRecognizer.RecognizeAsync(text, CancellationToken.None);
    }

    var timings = new List<double>();
    for (var i = 0; i < 500; i++)
    {
        var t0 = Stopwatch.GetTimestamp();
        await benchRecognizer.RecognizeAsync(texts[i % texts.Length], CancellationToken.None);
        timings.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
    }

    timings.Sort();
    Console.WriteLine($"Per query, sequential (500): mean {timings.Average():F2} ms, p50 {timings[250]:F2} ms, p95 {timings[475]:F2} ms, max {timings[^1]:F2} ms");
    var wall = Stopwatch.GetTimestamp();
    await Parallel.ForAsync(0, 500, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, ct) => await benchRecognizer.RecognizeAsync(texts[i % texts.Length], ct));
    Console.WriteLine($"Per query, 4 concurrent (500): {Stopwatch.GetElapsedTime(wall).TotalMilliseconds / 500:F2} ms wall per query");
    Console.WriteLine();
}

string? Arg(string name)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}

bool Flag(string name) => args.Contains(name);

static string FindRepositoryRoot()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "ClinicBot.sln")))
        {
            return dir.FullName;
        }
    }

    return Directory.GetCurrentDirectory();
}
