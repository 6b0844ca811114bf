using ClinicBot.Dialogs.Knowledge;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ClinicBot.Bot.Recognition.Clu;

/// <summary>
/// Recognizes FAQ questions with an Azure AI Language CLU deployment (<c>Recognizer:Provider</c> = <c>Clu</c>).
/// </summary>
/// <remarks>
/// <para>Each CLU intent is named after the knowledge-base entry id it answers; the <c>None</c> intent (or an intent
/// with no entry) means no answer. The confidence is CLU's <c>confidenceScore</c>, compared with
/// <c>Recognizer:Clu:ConfidenceThreshold</c>.</para>
/// <para>When the service fails (error status after retries, timeout, open circuit, network error, unreadable answer)
/// the fallback recognizer (the embedded one) answers instead, so a patient never waits on an outage. Logs name the
/// failure kind and status only, never the patient's text.</para>
/// </remarks>
public sealed class CluQuestionRecognizer : IQuestionRecognizer
{
    /// <summary>The CLU intent that means "not a question the knowledge base answers".</summary>
    public const string NoneIntent = "None";

    private readonly CluConversationClient _client;
    private readonly IKnowledgeBase _knowledgeBase;
    private readonly IQuestionRecognizer _fallback;
    private readonly CluOptions _options;
    private readonly int _candidateCount;
    private readonly ILogger<CluQuestionRecognizer> _logger;

    /// <summary>Creates the recognizer with <paramref name="fallback"/> for when CLU is unavailable.</summary>
    public CluQuestionRecognizer(
        CluConversationClient client,
        IKnowledgeBase knowledgeBase,
        IQuestionRecognizer fallback,
        IOptions<RecognizerOptions> options,
        IOptions<KnowledgeOptions> knowledgeOptions,
        ILogger<CluQuestionRecognizer> logger)
    {
        _client = client;
        _knowledgeBase = knowledgeBase;
        _fallback = fallback;
        _options = options.Value.Clu;
        _candidateCount = knowledgeOptions.Value.CandidateCount;
        _logger = logger;
    }

    /// <inheritdoc />
    public async Task<RecognitionResult> RecognizeAsync(string text, CancellationToken cancellationToken)
    {
        var threshold = _options.ConfidenceThreshold;
        if (string.IsNullOrWhiteSpace(text))
        {
            return RecognitionResult.None(threshold);
        }

        CluPrediction prediction;
        try
        {
            prediction = await _client.AnalyzeAsync(text.Trim(), cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            _logger.LogWarning(
                "CLU recognition failed ({Failure}{Status}); answering with the embedded recognizer",
                ex.GetType().Name,
                ex is CluUnavailableException unavailable ? $", HTTP {unavailable.StatusCode}" : string.Empty);
            return await _fallback.RecognizeAsync(text, cancellationToken);
        }

        if (prediction.TopIntent is null || string.Equals(prediction.TopIntent, NoneIntent, StringComparison.OrdinalIgnoreCase))
        {
            return RecognitionResult.None(threshold);
        }

        var knowledgeBase = _knowledgeBase.Current;
        var candidates = new List<RecognitionCandidate>();
        foreach (var intent in prediction.Intents.OrderByDescending(i => i.ConfidenceScore))
        {
            if (string.Equals(intent.Category, NoneIntent, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (knowledgeBase.Find(intent.Category) is { } entry)
            {
                candidates.Add(new RecognitionCandidate(entry, intent.ConfidenceScore));
            }
            else if (string.Equals(intent.Category, prediction.TopIntent, StringComparison.Ordinal))
            {
                // Intent names are project metadata, not patient text.
                _logger.LogWarning("CLU intent {Intent} has no knowledge-base entry with that id; retrain or redeploy the CLU project", intent.Category);
            }

            if (candidates.Count == _candidateCount)
            {
                break;
            }
        }

        var top = candidates.FirstOrDefault(c => c.Entry.Id == prediction.TopIntent);
        return top is null
            ? new RecognitionResult(null, 0, candidates, threshold)
            : new RecognitionResult(top.Entry, top.Probability, candidates, threshold);
    }
}
