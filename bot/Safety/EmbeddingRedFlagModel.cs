using System.Collections.Concurrent;
using System.Diagnostics;
using ClinicBot.Bot.Recognition;
using ClinicBot.Dialogs.Safety;

namespace ClinicBot.Bot.Safety;

/// <summary>
/// The red-flag model: MiniLM sentence embeddings (the ones the bot computes for questions) read by a four-class
/// logistic regression trained at start on <see cref="RedFlagExamples"/>. The whole message is read as one: scoring
/// each sentence on its own as well caught no more red flags on the tuning set and checked in on more ordinary
/// messages (docs/safety.md). Patient text is never logged.
/// </summary>
public sealed class EmbeddingRedFlagModel : IRedFlagModel
{
    // Training is deterministic: the same examples, encoder and settings always give the same classifier, so hosts in
    // one process (tests, benchmarks) train once.
    private static readonly ConcurrentDictionary<string, RedFlagClassifier> Trained = new(StringComparer.Ordinal);

    private readonly ISentenceEmbedder _embedder;
    private readonly QueryEmbeddingBatcher _queries;
    private readonly Func<RedFlagExamples> _examples;
    private readonly EmbeddingCache? _cache;
    private readonly ILogger _logger;
    private readonly RedFlagTrainingSettings _settings;
    private readonly Lazy<Task<RedFlagClassifier>> _classifier;

    /// <param name="examples">Read when the model trains (at start, through <see cref="WarmUpAsync"/>).</param>
    /// <param name="cacheFolder">Where the examples' embeddings are kept between starts; null for none.</param>
    public EmbeddingRedFlagModel(ISentenceEmbedder embedder, QueryEmbeddingBatcher queries, Func<RedFlagExamples> examples, string? cacheFolder, ILogger<EmbeddingRedFlagModel> logger)
        : this(embedder, queries, examples, cacheFolder, logger, RedFlagTrainingSettings.Default)
    {
    }

    internal EmbeddingRedFlagModel(ISentenceEmbedder embedder, QueryEmbeddingBatcher queries, Func<RedFlagExamples> examples, string? cacheFolder, ILogger logger, RedFlagTrainingSettings settings)
    {
        _embedder = embedder ?? throw new ArgumentNullException(nameof(embedder));
        _queries = queries ?? throw new ArgumentNullException(nameof(queries));
        _examples = examples ?? throw new ArgumentNullException(nameof(examples));
        _logger = logger;
        _settings = settings;
        _cache = cacheFolder is null ? null : new EmbeddingCache(cacheFolder, logger, "redflag");
        _classifier = new Lazy<Task<RedFlagClassifier>>(() => Task.Run(Train), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>The model on the shipped examples (<see cref="SafetyOptions.ExamplesPath"/>'s default), for hosts without configuration.</summary>
    public static EmbeddingRedFlagModel WithShippedExamples(ISentenceEmbedder embedder, QueryEmbeddingBatcher queries, string? cacheFolder, ILogger<EmbeddingRedFlagModel> logger) =>
        new(embedder, queries, () => RedFlagExamples.Load(new SafetyOptions().ResolvedExamplesPath), cacheFolder, logger);

    /// <summary>Trains (once) before the first message, so the first patient is not kept waiting.</summary>
    public Task WarmUpAsync(CancellationToken cancellationToken) => _classifier.Value.WaitAsync(cancellationToken);

    public async ValueTask<RedFlagScores> ScoreAsync(string text, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(text);
        var classifier = await _classifier.Value.WaitAsync(cancellationToken);
        var message = text.Trim();
        var embedding = await _queries.EmbedAsync(message, cancellationToken);
        Span<double> probabilities = stackalloc double[RedFlagClassifier.ClassCount];
        classifier.Predict(embedding, LexicalFeatures.Extract(message), probabilities);
        return new RedFlagScores(probabilities[1], probabilities[2], probabilities[3]);
    }

    private RedFlagClassifier Train()
    {
        var started = Stopwatch.GetTimestamp();
        var examples = _examples();
        if (examples.Items.Select(i => i.Label).Distinct().Count() < 2)
        {
            throw new InvalidOperationException("The red-flag examples need messages of at least two labels (none and a red flag).");
        }

        var key = $"{examples.ContentHash}|{_embedder.ModelId}|{_settings.LearningRate}|{_settings.Momentum}|{_settings.L2}|{_settings.Epochs}|{string.Join(',', _settings.ClassWeights)}|{_settings.LexicalValue}|{_settings.LexicalL2}";
        if (Trained.TryGetValue(key, out var known))
        {
            return known;
        }

        var texts = examples.Items.Select(i => i.Text).ToArray();
        var cached = _cache?.TryLoad(examples.ContentHash, _embedder.ModelId, _embedder.Dimensions);
        var encoded = 0;
        if (cached is null || texts.Any(t => !cached.ContainsKey(t)))
        {
            var vectors = _embedder.Embed(texts, CancellationToken.None);
            cached = texts.Select((t, i) => (t, v: vectors[i])).ToDictionary(p => p.t, p => p.v, StringComparer.Ordinal);
            encoded = texts.Length;
            _cache?.Save(examples.ContentHash, _embedder.ModelId, _embedder.Dimensions, cached);
        }

        var classifier = RedFlagClassifier.Train(examples.Items.Select(i => new RedFlagExample((int)i.Label, cached[i.Text], LexicalFeatures.Extract(i.Text))).ToList(), _settings);
        Trained[key] = classifier;
        _logger.LogInformation(
            "Red-flag model trained on {ExampleCount} examples ({Encoded} encoded) in {ElapsedMs:F0} ms",
            texts.Length,
            encoded,
            Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        return classifier;
    }
}
