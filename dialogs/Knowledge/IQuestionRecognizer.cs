namespace ClinicBot.Dialogs.Knowledge;

/// <summary>Maps a patient's question to the knowledge entry that answers it.</summary>
public interface IQuestionRecognizer
{
    Task<RecognitionResult> RecognizeAsync(string text, CancellationToken cancellationToken);
}

/// <summary>One candidate entry with the recognizer's probability that it is the one asked about.</summary>
public sealed record RecognitionCandidate(KnowledgeEntry Entry, double Probability);

/// <summary>
/// What the recognizer made of a question. <see cref="Best"/> is the most likely entry whatever its confidence;
/// answer only with <see cref="Accepted"/>, which applies the configured threshold.
/// </summary>
public sealed record RecognitionResult(KnowledgeEntry? Best, double Confidence, IReadOnlyList<RecognitionCandidate> Candidates, double Threshold)
{
    public static RecognitionResult None(double threshold) => new(null, 0, [], threshold);

    /// <summary>True when <see cref="Best"/> is confident enough to answer from.</summary>
    public bool IsConfident => Best is not null && Confidence >= Threshold;

    /// <summary><see cref="Best"/> when confident, otherwise null.</summary>
    public KnowledgeEntry? Accepted => IsConfident ? Best : null;
}
