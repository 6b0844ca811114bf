using ClinicBot.Dialogs.Knowledge;

namespace ClinicBot.Tests.Support;

/// <summary>
/// A recognizer whose answers a test sets: phrases map to knowledge entries with a confidence. Dialog tests
/// use it to reach every branch; the real recognizer has its own tests and evaluation.
/// </summary>
public sealed class ScriptedRecognizer : IQuestionRecognizer
{
    private readonly List<(string Phrase, KnowledgeEntry Entry, double Confidence)> _script = [];

    public double Threshold { get; set; } = 0.7;

    public List<string> Queries { get; } = [];

    public ScriptedRecognizer Answers(string phrase, string answer, double confidence = 0.95, string id = "entry")
    {
        _script.Add((phrase, new KnowledgeEntry { Id = id, Question = phrase, Answer = answer, Phrasings = [phrase] }, confidence));
        return this;
    }

    public Task<RecognitionResult> RecognizeAsync(string text, CancellationToken cancellationToken)
    {
        Queries.Add(text);
        var hit = _script.FirstOrDefault(s => text.Contains(s.Phrase, StringComparison.OrdinalIgnoreCase));
        return Task.FromResult(hit.Entry is null
            ? RecognitionResult.None(Threshold)
            : new RecognitionResult(hit.Entry, hit.Confidence, [new RecognitionCandidate(hit.Entry, hit.Confidence)], Threshold));
    }
}
