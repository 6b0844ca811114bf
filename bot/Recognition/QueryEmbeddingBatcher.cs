using ClinicBot.Bot.Hosting;

namespace ClinicBot.Bot.Recognition;

/// <summary>
/// Encodes patients' questions in batched model runs, each run taking every question that arrived while the runs
/// before it were busy. One MiniLM run over 16 short questions costs a fraction of 16 single runs (the matrix work is
/// shared and ONNX Runtime's per-run overhead is paid once), and questions no longer compete for the cores as
/// concurrent single runs did: under load the knowledge turn gets cheaper instead of slower. A lone question still
/// runs immediately.
/// </summary>
/// <remarks>
/// Up to one run per core at once, each on a single thread (<see cref="MiniLmSentenceEmbedder"/>). With one run at a
/// time the model could use only one core and the other sat 20 % idle at 32 conversations; with two (on two cores),
/// knowledge bench, 3 alternating runs each: 809–929 turns/s against 695–760, CPU per turn unchanged (1.9–2.1 ms).
/// </remarks>
public sealed class QueryEmbeddingBatcher : IAsyncDisposable
{
    /// <summary>
    /// Most questions one model run takes. A run costs about the same per question from 8 to 32 questions; 16 gave the
    /// best throughput and tail at 32 concurrent conversations (bench, alternating runs: 16 → 537–560 turns/s, p99
    /// 80 ms; 32 → 522–541, p99 82–94 ms; 8 → 451–483, p99 95 ms), because a question waits for shorter runs ahead of it.
    /// </summary>
    public const int MaxBatch = 16;

    private readonly ISentenceEmbedder _embedder;
    private readonly BatchingWorker<Query> _runs;

    /// <param name="embedder">The model.</param>
    /// <param name="runsAtOnce">Most model runs at once; by default one per core.</param>
    public QueryEmbeddingBatcher(ISentenceEmbedder embedder, int? runsAtOnce = null)
    {
        _embedder = embedder ?? throw new ArgumentNullException(nameof(embedder));
        _runs = new BatchingWorker<Query>(MaxBatch, EncodeAsync, DropIfCancelled, runsAtOnce ?? Environment.ProcessorCount);
    }

    /// <summary>The embedding of <paramref name="text"/>, computed in the next model run.</summary>
    public Task<float[]> EmbedAsync(string text, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<float[]>(cancellationToken);
        }

        var query = new Query(text, cancellationToken);
        return _runs.TryQueue(query)
            ? query.Completion.Task
            : Task.FromException<float[]>(new ObjectDisposedException(nameof(QueryEmbeddingBatcher)));
    }

    public ValueTask DisposeAsync() => _runs.DisposeAsync();

    private static bool DropIfCancelled(Query query) =>
        query.CancellationToken.IsCancellationRequested && query.Completion.TrySetCanceled(query.CancellationToken);

    private Task EncodeAsync(List<Query> batch)
    {
        try
        {
            var vectors = _embedder.Embed(batch.ConvertAll(q => q.Text), CancellationToken.None);
            for (var i = 0; i < batch.Count; i++)
            {
                batch[i].Completion.TrySetResult(vectors[i]);
            }
        }
        catch (Exception ex)
        {
            foreach (var query in batch)
            {
                query.Completion.TrySetException(ex);
            }
        }

        return Task.CompletedTask;
    }

    private sealed record Query(string Text, CancellationToken CancellationToken)
    {
        public TaskCompletionSource<float[]> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
