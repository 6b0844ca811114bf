using System.Diagnostics;
using ClinicBot.Dialogs.Knowledge;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ClinicBot.Bot.Recognition;

/// <summary>
/// Recognizes FAQ questions in-process: MiniLM sentence embeddings of the canonical questions and staff phrasings train
/// an ML.NET maximum-entropy classifier, whose probability for the best entry is the confidence.
/// </summary>
/// <remarks>
/// Trains once on first use (or at start through <see cref="WarmUpAsync"/>), and again whenever
/// <see cref="IKnowledgeBase.Current"/> has been replaced: a query never runs against a stale model. Knowledge-base
/// embeddings are cached on disk keyed by the knowledge base's content hash, and kept in memory across retrains so
/// that adding an entry encodes only the new texts. Patient text is never logged.
/// </remarks>
public sealed class EmbeddedQuestionRecognizer : IQuestionRecognizer, IDisposable
{
    private readonly IKnowledgeBase _knowledgeBase;
    private readonly ISentenceEmbedder _embedder;
    private readonly KnowledgeOptions _options;
    private readonly ILogger<EmbeddedQuestionRecognizer> _logger;
    private readonly EmbeddingCache _cache;
    private readonly ClassifierSettings _settings;
    private readonly SemaphoreSlim _trainLock = new(1, 1);
    private readonly QueryEmbeddingBatcher _queries;
    private readonly bool _ownsQueries;
    private volatile TrainedModel? _model;

    public EmbeddedQuestionRecognizer(
        IKnowledgeBase knowledgeBase,
        ISentenceEmbedder embedder,
        IOptions<KnowledgeOptions> options,
        ILogger<EmbeddedQuestionRecognizer> logger)
        : this(knowledgeBase, embedder, null, options, logger, ClassifierSettings.Default)
    {
    }

    /// <param name="queries">The host's one batcher of patient messages, shared with the red-flag model; null for its own.</param>
    public EmbeddedQuestionRecognizer(
        IKnowledgeBase knowledgeBase,
        ISentenceEmbedder embedder,
        QueryEmbeddingBatcher? queries,
        IOptions<KnowledgeOptions> options,
        ILogger<EmbeddedQuestionRecognizer> logger)
        : this(knowledgeBase, embedder, queries, options, logger, ClassifierSettings.Default)
    {
    }

    internal EmbeddedQuestionRecognizer(
        IKnowledgeBase knowledgeBase,
        ISentenceEmbedder embedder,
        IOptions<KnowledgeOptions> options,
        ILogger<EmbeddedQuestionRecognizer> logger,
        ClassifierSettings settings)
        : this(knowledgeBase, embedder, null, options, logger, settings)
    {
    }

    internal EmbeddedQuestionRecognizer(
        IKnowledgeBase knowledgeBase,
        ISentenceEmbedder embedder,
        QueryEmbeddingBatcher? queries,
        IOptions<KnowledgeOptions> options,
        ILogger<EmbeddedQuestionRecognizer> logger,
        ClassifierSettings settings)
    {
        _knowledgeBase = knowledgeBase;
        _embedder = embedder;
        _options = options.Value;
        _logger = logger;
        _settings = settings;
        _cache = new EmbeddingCache(_options.ResolvedEmbeddingCachePath, logger);
        _ownsQueries = queries is null;
        _queries = queries ?? new QueryEmbeddingBatcher(embedder);
    }

    /// <summary>The cache file for the current knowledge base (exists once trained).</summary>
    internal string CurrentCacheFile => _cache.PathFor(_knowledgeBase.Current.ContentHash);

    /// <summary>
    /// Trains on the current knowledge base unless already trained on it, and loads the encoder even when every
    /// embedding came from the disk cache, so the first patient question is as fast as the others.
    /// </summary>
    public async Task WarmUpAsync(CancellationToken cancellationToken)
    {
        await GetModelAsync(cancellationToken);
        _embedder.Embed(["warm up"], cancellationToken);
    }

    public async Task<RecognitionResult> RecognizeAsync(string text, CancellationToken cancellationToken)
    {
        var threshold = _options.ConfidenceThreshold;
        if (string.IsNullOrWhiteSpace(text))
        {
            return RecognitionResult.None(threshold);
        }

        var model = await GetModelAsync(cancellationToken);
        if (model.KnowledgeBase.Count == 0)
        {
            return RecognitionResult.None(threshold);
        }

        var embedding = await _queries.EmbedAsync(text.Trim(), cancellationToken);
        var probabilities = model.Classifier.Predict(embedding);
        var candidates = probabilities
            .Select((p, i) => (Probability: p, Index: i))
            .OrderByDescending(c => c.Probability)
            .Take(_options.CandidateCount)
            .Select(c => new RecognitionCandidate(model.KnowledgeBase.Find(model.Classifier.Labels[c.Index])!, c.Probability))
            .ToArray();
        return new RecognitionResult(candidates[0].Entry, candidates[0].Probability, candidates, threshold);
    }

    public void Dispose()
    {
        if (_ownsQueries)
        {
            _queries.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }

        _trainLock.Dispose();
    }

    private async ValueTask<TrainedModel> GetModelAsync(CancellationToken cancellationToken)
    {
        var current = _knowledgeBase.Current;
        var model = _model;
        if (model is not null && ReferenceEquals(model.KnowledgeBase, current))
        {
            return model;
        }

        await _trainLock.WaitAsync(cancellationToken);
        try
        {
            current = _knowledgeBase.Current;
            model = _model;
            if (model is not null && ReferenceEquals(model.KnowledgeBase, current))
            {
                return model;
            }

            model = await Task.Run(() => Train(current, model?.Embeddings, cancellationToken), cancellationToken);
            _model = model;
            return model;
        }
        finally
        {
            _trainLock.Release();
        }
    }

    private TrainedModel Train(KnowledgeBase knowledgeBase, IReadOnlyDictionary<string, float[]>? previous, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var hash = knowledgeBase.ContentHash;
        var texts = knowledgeBase.Entries.SelectMany(e => e.TrainingTexts).Distinct(StringComparer.Ordinal).ToArray();

        var cached = _cache.TryLoad(hash, _embedder.ModelId, _embedder.Dimensions);
        var fromCache = cached is not null;
        var embeddings = cached ?? new Dictionary<string, float[]>(StringComparer.Ordinal);
        var missing = texts.Where(t => !embeddings.ContainsKey(t)).ToList();
        var reused = 0;
        if (previous is not null)
        {
            foreach (var text in missing.Where(previous.ContainsKey).ToList())
            {
                embeddings[text] = previous[text];
                missing.Remove(text);
                reused++;
            }
        }

        if (missing.Count > 0)
        {
            var vectors = _embedder.Embed(missing, cancellationToken);
            for (var i = 0; i < missing.Count; i++)
            {
                embeddings[missing[i]] = vectors[i];
            }
        }

        // Keep exactly the current texts, so the cache file matches its hash.
        embeddings = texts.ToDictionary(t => t, t => embeddings[t], StringComparer.Ordinal);
        if (!fromCache || missing.Count > 0)
        {
            _cache.Save(hash, _embedder.ModelId, _embedder.Dimensions, embeddings);
        }

        var encodedMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        var examples = knowledgeBase.Entries
            .SelectMany(e => e.TrainingTexts.Select(t => (e.Id, embeddings[t])))
            .ToList();
        var classifier = KnowledgeClassifier.Train(examples, _embedder.Dimensions, _settings);
        _logger.LogInformation(
            "Question recognizer trained on {EntryCount} entries / {ExampleCount} examples: {Encoded} texts encoded, {FromCache} from disk cache, {Reused} reused; embeddings {EncodedMs:F0} ms, total {TotalMs:F0} ms",
            knowledgeBase.Count,
            examples.Count,
            missing.Count,
            fromCache ? texts.Length : 0,
            reused,
            encodedMs,
            Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        return new TrainedModel(knowledgeBase, classifier, embeddings);
    }

    private sealed record TrainedModel(KnowledgeBase KnowledgeBase, KnowledgeClassifier Classifier, IReadOnlyDictionary<string, float[]> Embeddings);
}
