using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Security.Cryptography;
using System.Text;

namespace ClinicBot.Bot.Observability;

/// <summary>
/// ClinicBot's own traces and metrics (OpenTelemetry names). Tags carry channels, activity types, departments,
/// recognizer names and outcomes; never message text, names, user ids or raw conversation ids. A conversation is
/// identified only by <see cref="HashConversationId"/>. See docs/observability.md.
/// </summary>
public sealed class ClinicBotTelemetry : IDisposable
{
    /// <summary>The name of the meter and of the activity source.</summary>
    public const string Name = "ClinicBot";

    /// <summary>Spans for bot turns (one per turn, any channel).</summary>
    public static readonly ActivitySource Source = new(Name);

    private readonly Meter _meter;
    private readonly QueueMetricsSampler _sampler;

    public ClinicBotTelemetry(IMeterFactory meterFactory, QueueMetricsSampler sampler)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        _sampler = sampler ?? throw new ArgumentNullException(nameof(sampler));
        _meter = meterFactory.Create(Name);
        Turns = _meter.CreateCounter<long>("clinicbot.turns", "{turn}", "Bot turns, by channel and activity type.");
        TurnDuration = _meter.CreateHistogram<double>("clinicbot.turn.duration", "ms", "Time to run one bot turn, by channel.");
        RecognizerDuration = _meter.CreateHistogram<double>("clinicbot.recognizer.duration", "ms", "Time to recognize one question, by recognizer and outcome.");
        HandoffWait = _meter.CreateHistogram<double>("clinicbot.handoff.wait", "s", "Time from joining a queue to being accepted by staff, by department.");
        _meter.CreateObservableGauge("clinicbot.handoff.queue.length", ObserveQueueLengths, "{chat}", "Chats waiting for staff, by department (sampled).");
        _meter.CreateObservableGauge("clinicbot.followups.overdue", ObserveOverdue, "{follow-up}", "Open follow-ups past their promised time (sampled).");
    }

    public Counter<long> Turns { get; }

    public Histogram<double> TurnDuration { get; }

    public Histogram<double> RecognizerDuration { get; }

    public Histogram<double> HandoffWait { get; }

    /// <summary>
    /// A stable pseudonym for a conversation id: the first 16 hex digits of its SHA-256. Enough to group one
    /// conversation's turns in traces; the id itself is never exported.
    /// </summary>
    public static string HashConversationId(string? conversationId) =>
        string.IsNullOrEmpty(conversationId) ? string.Empty : Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(conversationId)))[..16];

    public void Dispose() => _meter.Dispose();

    private IEnumerable<Measurement<long>> ObserveQueueLengths() =>
        _sampler.WaitingByDepartment.Select(pair => new Measurement<long>(pair.Value, new KeyValuePair<string, object?>("department", pair.Key)));

    private IEnumerable<Measurement<long>> ObserveOverdue() =>
        _sampler.OverdueFollowUps is { } overdue ? [new Measurement<long>(overdue)] : [];
}
