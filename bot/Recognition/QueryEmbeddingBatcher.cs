using ClinicBot.Bot.Hosting;

namespace ClinicBot.Bot.Recognition;

/// <summary>
/// Encodes patients' questions one model run at a time, each run taking every question that arrived while the
/// previous one was running. One MiniLM run over 32 short questions costs a fraction of 32 single runs (the matrix
/// work is shared and ONNX Runtime's per-run overhead is paid once), and questions no longer compete for the cores
/// as 32 concurrent runs did: under load the knowledge turn gets cheaper instead of slower. A lone question still
/// runs immediately.
/// </summary>
/// <remarks>
/// One run at a time, on one thread (<see cref="MiniLmSentenceEmbedder"/>), leaves the other core to the turns around
/// the model. Two runs at once (knowledge bench, 4 alternating pairs) gave 857–900 turns/s against 720–836, but a worse
/// tail: p99 70–124 ms against 64–78. The target is the tail.
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

    public QueryEmbeddingBatcher(ISentenceEmbedder embedder)
    {
        _embedder = embedder ?? throw new ArgumentNullException(nameof(embedder));
        _runs = new BatchingWorker<Query>(MaxBatch, EncodeAsync, DropIfCancelled);
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
