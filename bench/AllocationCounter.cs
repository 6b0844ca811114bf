using System.Diagnostics.Tracing;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;

namespace ClinicBot.Bench;

/// <summary>
/// How fast the bot allocates, read from outside its process: the runtime's <c>alloc-rate</c> counter (bytes allocated
/// in each one-second interval, the figure <c>dotnet-counters</c> shows) over an EventPipe session. Divided by turns/s
/// it gives the bytes a turn allocates, a figure that, unlike turns/s, hardly moves with how busy the host is: an
/// allocation change shows in one run, where a throughput change of a few percent needs many.
/// </summary>
public sealed class AllocationCounter : IAsyncDisposable
{
    private const string CounterName = "alloc-rate";

    private readonly EventPipeSession _session;
    private readonly Task _reading;
    private readonly Lock _gate = new();
    private readonly List<(DateTime EndUtc, double Bytes, double Seconds)> _intervals = [];

    private AllocationCounter(EventPipeSession session)
    {
        _session = session;
        _reading = Task.Run(Read);
    }

    /// <summary>Starts reading the counter of process <paramref name="pid"/>; null (and a line in the log) when it cannot.</summary>
    public static AllocationCounter? TryStart(int pid, TextWriter log)
    {
        try
        {
            var provider = new EventPipeProvider(
                "System.Runtime",
                EventLevel.Informational,
                (long)EventKeywords.None,
                new Dictionary<string, string> { ["EventCounterIntervalSec"] = "1" });
            return new AllocationCounter(new DiagnosticsClient(pid).StartEventPipeSession(provider, requestRundown: false));
        }
        catch (Exception ex) when (ex is DiagnosticsClientException or IOException or UnauthorizedAccessException or TimeoutException)
        {
            log.WriteLine($"  allocation counter of pid {pid} unavailable ({ex.GetType().Name}); column left empty");
            return null;
        }
    }

    /// <summary>
    /// Bytes allocated per second over the counter's intervals that lie wholly between <paramref name="fromUtc"/> and
    /// <paramref name="toUtc"/>; NaN when none does (a window shorter than two seconds).
    /// </summary>
    public double BytesPerSecond(DateTime fromUtc, DateTime toUtc)
    {
        lock (_gate)
        {
            var inside = _intervals.Where(i => i.EndUtc - TimeSpan.FromSeconds(i.Seconds) >= fromUtc && i.EndUtc <= toUtc).ToList();
            var seconds = inside.Sum(i => i.Seconds);
            return seconds > 0 ? inside.Sum(i => i.Bytes) / seconds : double.NaN;
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _session.StopAsync(CancellationToken.None);
        }
        catch (Exception ex) when (ex is DiagnosticsClientException or IOException or ServerNotAvailableException or TimeoutException)
        {
            // The bot is already gone: the stream ends by itself.
        }

        await _reading.WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _session.Dispose();
    }

    private void Read()
    {
        try
        {
            using var source = new EventPipeEventSource(_session.EventStream);
            source.Dynamic.All += Record;
            source.Process();
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or EndOfStreamException)
        {
            // The session stopped or the bot exited.
        }
    }

    private void Record(TraceEvent e)
    {
        // An EventCounters event carries one field, "Payload": the counter's name, increment, interval...
        if (e.EventName != "EventCounters" || e.PayloadValue(0) is not IDictionary<string, object> fields
            || !fields.TryGetValue("Payload", out var inner) || inner is not IDictionary<string, object> payload
            || !payload.TryGetValue("Name", out var name) || name as string != CounterName
            || !payload.TryGetValue("Increment", out var increment) || !payload.TryGetValue("IntervalSec", out var interval))
        {
            return;
        }

        var seconds = Convert.ToDouble(interval, System.Globalization.CultureInfo.InvariantCulture);
        var bytes = Convert.ToDouble(increment, System.Globalization.CultureInfo.InvariantCulture);
        lock (_gate)
        {
            _intervals.Add((e.TimeStamp.ToUniversalTime(), bytes, seconds));
        }
    }
}
