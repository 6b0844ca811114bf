using System.Diagnostics;

namespace ClinicBot.Bench;

/// <summary>
/// When a load run measures. The warm-up lasts at least the configured time and then until the bot's tiered JIT has
/// settled; the window then stays open for the configured duration. Turns count only if they start and end inside it.
/// </summary>
/// <remarks>
/// Why wait for the JIT: under full load the runtime's background compiler competes with the turns for the two cores
/// and keeps promoting hot methods long after start. With the knowledge script (ONNX Runtime then busy on both cores) its
/// thread used half a core 15–20 s after start and settled only at about 25 s (7 s of CPU in all), so a fixed 15 s
/// warm-up measured the JIT as much as the bot. The figures are meant to be the steady state.
/// </remarks>
public sealed class MeasurementWindow(Stopwatch clock)
{
    /// <summary>The JIT counts as settled when its thread used at most this much CPU over <see cref="SettleInterval"/> (1 % of a core).</summary>
    private static readonly TimeSpan SettledJitCpu = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan SettleInterval = TimeSpan.FromSeconds(2);

    private long _startTicks = long.MaxValue;
    private long _endTicks = long.MaxValue;

    /// <summary>How long the warm-up took (known once the window is open).</summary>
    public TimeSpan Warmup { get; private set; }

    /// <summary>
    /// The share of the machine's CPU time the hypervisor gave to other guests during the window ("steal" in
    /// /proc/stat), in percent; NaN where the kernel does not say. A run with a high figure measured a busy host.
    /// </summary>
    public double HostStealPercent { get; private set; } = double.NaN;

    /// <summary>Bytes the bot allocated per second during the window (<see cref="AllocationCounter"/>); NaN when unknown.</summary>
    public double BotAllocatedBytesPerSecond { get; private set; } = double.NaN;

    /// <summary>True once the window has closed: the load can stop.</summary>
    public bool IsOver => clock.Elapsed.Ticks >= Volatile.Read(ref _endTicks);

    /// <summary>Whether a turn from <paramref name="started"/> to <paramref name="ended"/> (on the run's clock) is measured.</summary>
    public bool Contains(TimeSpan started, TimeSpan ended) =>
        started.Ticks >= Volatile.Read(ref _startTicks) && ended.Ticks <= Volatile.Read(ref _endTicks);

    /// <summary>
    /// Waits out the warm-up (at least <paramref name="minimumWarmup"/>, at most three times that), opens the window
    /// for <paramref name="duration"/> and waits for it to close.
    /// </summary>
    /// <returns>The bot's CPU time and the seconds inside the window.</returns>
    public async Task<(TimeSpan BotCpu, double Seconds)> RunAsync(BotProcess bot, TimeSpan minimumWarmup, TimeSpan duration, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(bot);

        // Started during the warm-up: attaching makes the bot enable its runtime event source (a little JIT work).
        await using var allocations = AllocationCounter.TryStart(bot.Pid, Console.Error);
        var interval = SettleInterval < minimumWarmup ? SettleInterval : minimumWarmup;
        await DelayUntil(minimumWarmup - interval, cancellationToken);
        var jit = bot.JitCpuTime();
        while (true)
        {
            await Task.Delay(interval, cancellationToken);
            var now = bot.JitCpuTime();
            if (now - jit <= SettledJitCpu || clock.Elapsed >= minimumWarmup * 3)
            {
                break;
            }

            jit = now;
        }

        var cpuStart = bot.CpuTime();
        var hostStart = HostCpuTicks();
        var startUtc = DateTime.UtcNow;
        var start = clock.Elapsed;
        Warmup = start;
        Volatile.Write(ref _endTicks, (start + duration).Ticks);
        Volatile.Write(ref _startTicks, start.Ticks);
        await DelayUntil(start + duration, cancellationToken);
        var cpuEnd = bot.CpuTime();
        if (allocations is not null)
        {
            // The counter's last interval of the window is published up to a second after it closes.
            await Task.Delay(TimeSpan.FromSeconds(1.2), cancellationToken);
            BotAllocatedBytesPerSecond = allocations.BytesPerSecond(startUtc, startUtc + duration);
        }

        if (hostStart is { } before && HostCpuTicks() is { } after && after.Total > before.Total)
        {
            HostStealPercent = 100.0 * (after.Steal - before.Steal) / (after.Total - before.Total);
        }

        return (cpuEnd - cpuStart, (clock.Elapsed - start).TotalSeconds);
    }

    /// <summary>The run's figures with what the window knows about them: the warm-up, the host's steal, the bot's allocations.</summary>
    public LoadResult Annotate(LoadResult result) =>
        result with
        {
            WarmupSeconds = Warmup.TotalSeconds,
            HostStealPercent = HostStealPercent,
            AllocatedBytesPerTurn = result.TurnsPerSecond > 0 ? BotAllocatedBytesPerSecond / result.TurnsPerSecond : double.NaN,
        };

    /// <summary>Steal and total CPU ticks of the whole machine (first line of /proc/stat); null where there is none.</summary>
    internal static (long Steal, long Total)? HostCpuTicks()
    {
        try
        {
            // cpu  user nice system idle iowait irq softirq steal guest guest_nice (guest time is inside user)
            var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 9 || fields[0] != "cpu")
            {
                return null;
            }

            var ticks = fields[1..9].Select(f => long.Parse(f, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            return (ticks[7], ticks.Sum());
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
        {
            return null;
        }
    }

    private Task DelayUntil(TimeSpan time, CancellationToken cancellationToken) =>
        Task.Delay(time - clock.Elapsed is { Ticks: > 0 } left ? left : TimeSpan.Zero, cancellationToken);
}
