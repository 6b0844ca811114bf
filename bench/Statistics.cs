namespace ClinicBot.Bench;

/// <summary>Nearest-rank percentiles over latencies in milliseconds.</summary>
public static class Statistics
{
    public static double Percentile(IReadOnlyList<double> sorted, double percentile)
    {
        if (sorted.Count == 0)
        {
            return double.NaN;
        }

        var rank = (int)Math.Ceiling(percentile / 100.0 * sorted.Count);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
    }
}

/// <summary>The figures of one load run.</summary>
public sealed record LoadResult(
    string Name,
    string Wiring,
    int Conversations,
    long Turns,
    double Seconds,
    double P50,
    double P95,
    double P99,
    double CpuMsPerTurn,
    long PeakRssBytes,
    long Errors,
    long UnexpectedReplies,
    string? FirstProblem)
{
    public double TurnsPerSecond => Seconds > 0 ? Turns / Seconds : 0;

    /// <summary>Seconds of load before the measured window opened (see <see cref="MeasurementWindow"/>).</summary>
    public double WarmupSeconds { get; init; }

    /// <summary>CPU time the host gave to other guests during the window, in percent (see <see cref="MeasurementWindow.HostStealPercent"/>).</summary>
    public double HostStealPercent { get; init; } = double.NaN;

    /// <summary>Bytes the bot allocated per turn in the window (see <see cref="AllocationCounter"/>); NaN when unknown.</summary>
    public double AllocatedBytesPerTurn { get; init; } = double.NaN;

    public static LoadResult From(string name, string wiring, int conversations, List<double> latencies, double seconds, TimeSpan cpu, long peakRss, long errors, long unexpected, string? firstProblem)
    {
        latencies.Sort();
        return new LoadResult(
            name,
            wiring,
            conversations,
            latencies.Count,
            seconds,
            Statistics.Percentile(latencies, 50),
            Statistics.Percentile(latencies, 95),
            Statistics.Percentile(latencies, 99),
            latencies.Count > 0 ? cpu.TotalMilliseconds / latencies.Count : double.NaN,
            peakRss,
            errors,
            unexpected,
            firstProblem);
    }
}
