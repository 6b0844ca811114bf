using ClinicBot.Dialogs.FollowUps;
using ClinicBot.Dialogs.Handoff;
using Microsoft.Extensions.Options;

namespace ClinicBot.Bot.Observability;

/// <summary>
/// Reads the handoff queue and the follow-up queue every <see cref="Interval"/> so the observable gauges (queue length
/// per department, overdue follow-ups) report without touching the store from the metrics callback. Every instance
/// reads the shared store, so every instance reports the same, clinic-wide, values: aggregate them with max, not sum.
/// </summary>
public sealed class QueueMetricsSampler(
    IServiceProvider services,
    IOptions<HandoffOptions> handoffOptions,
    TimeProvider time,
    ILogger<QueueMetricsSampler> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);

    private volatile IReadOnlyDictionary<string, long> _waiting = new Dictionary<string, long>();
    private long _overdue = -1;

    public IReadOnlyDictionary<string, long> WaitingByDepartment => _waiting;

    /// <summary>Null until the first sample.</summary>
    public long? OverdueFollowUps => Interlocked.Read(ref _overdue) is var value and >= 0 ? value : null;

    public async Task SampleOnceAsync(CancellationToken cancellationToken)
    {
        var queue = services.GetRequiredService<IHandoffQueue>();
        var followUps = services.GetRequiredService<IFollowUpQueue>();
        var open = await queue.ListOpenAsync(null, cancellationToken);
        var waiting = handoffOptions.Value.Departments.ToDictionary(d => d.Key, _ => 0L, StringComparer.OrdinalIgnoreCase);
        foreach (var handoff in open.Where(h => h.Status == HandoffStatus.Waiting))
        {
            waiting[handoff.Department] = waiting.GetValueOrDefault(handoff.Department) + 1;
        }

        _waiting = waiting;
        var now = time.GetUtcNow();
        var overdue = (await followUps.ListAsync(FollowUpStatus.Open, cancellationToken)).LongCount(f => f.DueBy < now);
        Interlocked.Exchange(ref _overdue, overdue);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await SampleOnceAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogWarning("Sampling queue metrics failed ({Error})", ex.GetType().Name);
            }

            try
            {
                await Task.Delay(Interval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
