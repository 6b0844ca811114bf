using System.Threading.Channels;

namespace ClinicBot.Bot.Hosting;

/// <summary>
/// Items queued by many callers and handled by one worker, a batch at a time: each batch is everything that waited
/// (up to a limit) while the previous one was handled, so a lone item is handled at once and a busy moment shares the
/// cost. The worker starts with the first item. Items whose caller gave up before their batch are dropped.
/// Used by the SQLite writer (group commit) and the question embedder (one model run per batch).
/// </summary>
public sealed class BatchingWorker<TItem> : IAsyncDisposable
{
    private readonly int _maxBatch;
    private readonly Func<List<TItem>, Task> _handle;
    private readonly Func<TItem, bool> _dropIfCancelled;
    private readonly Channel<TItem> _items = Channel.CreateUnbounded<TItem>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lazy<Task> _worker;

    /// <param name="maxBatch">Most items one batch takes.</param>
    /// <param name="handle">Handles a batch; must complete every item's caller itself and must not throw.</param>
    /// <param name="dropIfCancelled">True (after completing the caller as cancelled) for an item whose caller gave up.</param>
    public BatchingWorker(int maxBatch, Func<List<TItem>, Task> handle, Func<TItem, bool> dropIfCancelled)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatch, 1);
        _maxBatch = maxBatch;
        _handle = handle ?? throw new ArgumentNullException(nameof(handle));
        _dropIfCancelled = dropIfCancelled ?? throw new ArgumentNullException(nameof(dropIfCancelled));
        _worker = new Lazy<Task>(() => Task.Run(RunAsync), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>Queues the item; false once disposed.</summary>
    public bool TryQueue(TItem item)
    {
        if (!_items.Writer.TryWrite(item))
        {
            return false;
        }

        _ = _worker.Value;
        return true;
    }

    /// <summary>Stops taking items and waits until the ones already queued are handled.</summary>
    public async ValueTask DisposeAsync()
    {
        _items.Writer.TryComplete();
        if (_worker.IsValueCreated)
        {
            await _worker.Value.ConfigureAwait(false);
        }
    }

    private async Task RunAsync()
    {
        var batch = new List<TItem>(_maxBatch);
        while (await _items.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (batch.Count < _maxBatch && _items.Reader.TryRead(out var item))
            {
                if (!_dropIfCancelled(item))
                {
                    batch.Add(item);
                }
            }

            if (batch.Count > 0)
            {
                await _handle(batch).ConfigureAwait(false);
                batch.Clear();
            }
        }
    }
}
