using System.Diagnostics;
using ClinicBot.Bot.Observability;
using ClinicBot.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace ClinicBot.Tests.Observability;

/// <summary>The real host with OpenTelemetry's in-memory exporter: ClinicBot's metrics and spans are emitted and carry no patient text.</summary>
#pragma warning disable CA1001 // xunit disposes through IAsyncLifetime.DisposeAsync
public sealed class TelemetryTests : IAsyncLifetime
#pragma warning restore CA1001
{
    private const string PatientName = "Zelda Quimby";
    private const string PatientText = "my left knee aches after the squats zxq";
    private const string ConversationId = "conv-telemetry-7731";

    private readonly List<Metric> _metrics = [];
    private readonly List<Activity> _spans = [];
    private ClinicBotFactory _factory = null!;
    private ReplySink _sink = null!;

    public async Task InitializeAsync()
    {
        _sink = await ReplySink.StartAsync();
        // Without Application Insights the bot records no spans unless told to (Telemetry:Tracing).
        var tracing = new Dictionary<string, string?> { [TelemetryExtensions.TracingSetting] = "true" };
        _factory = new ClinicBotFactory(clock: ClinicBotFactory.MondayMorning(), hostSettings: tracing, configureServices: services =>
        {
            services.ConfigureOpenTelemetryMeterProvider(metrics => metrics.AddInMemoryExporter(_metrics));
            services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.SetSampler(new AlwaysOnSampler()).AddInMemoryExporter(_spans));
        });
    }

    public async Task DisposeAsync()
    {
        await _sink.DisposeAsync();
        await _factory.DisposeAsync();
    }

    [Fact]
    public async Task TurnsRecognizerQueueAndFollowUpMetricsAreEmittedWithoutPatientText()
    {
        var client = _factory.CreateClient();
        await _factory.PostActivityAsync(client, _sink, ConversationId, "hi", userName: PatientName, userId: "patient-zelda");
        await _factory.PostActivityAsync(client, _sink, ConversationId, "what are your opening hours?", userName: PatientName, userId: "patient-zelda");
        await _factory.PostActivityAsync(client, _sink, ConversationId, PatientText, userName: PatientName, userId: "patient-zelda");
        await _sink.WaitForMessageAsync(ConversationId, _ => true);
        await _factory.Services.GetRequiredService<QueueMetricsSampler>().SampleOnceAsync(default);

        Assert.True(_factory.Services.GetRequiredService<MeterProvider>().ForceFlush(10_000));
        Assert.True(_factory.Services.GetRequiredService<TracerProvider>().ForceFlush(10_000));

        // Spans of background work (outgoing calls) can still be exported while we read: read copies.
        var metrics = _metrics.ToArray();
        var spans = _spans.ToArray();

        var names = metrics.Select(m => m.Name).ToHashSet(StringComparer.Ordinal);
        Assert.Contains("clinicbot.turns", names);
        Assert.Contains("clinicbot.turn.duration", names);
        Assert.Contains("clinicbot.recognizer.duration", names);
        Assert.Contains("clinicbot.handoff.queue.length", names);
        Assert.Contains("clinicbot.followups.overdue", names);

        var turnTags = Points(metrics.Where(m => m.Name == "clinicbot.turns")).SelectMany(Tags).ToList();
        Assert.Contains(turnTags, t => t.Key == "channel" && (string?)t.Value == "emulator");

        var turnSpans = spans.Where(s => s.Source.Name == ClinicBotTelemetry.Name && s.OperationName == "clinicbot.turn").ToList();
        Assert.NotEmpty(turnSpans);
        Assert.Contains(turnSpans, s => (string?)s.GetTagItem("clinicbot.conversation_hash") == ClinicBotTelemetry.HashConversationId(ConversationId));

        // Nothing that identifies the patient or repeats what they wrote: not in metric tags, span names or span tags.
        var exported = Points(metrics).SelectMany(Tags).Select(t => $"{t.Key}={t.Value}")
            .Concat(spans.Select(s => s.DisplayName))
            .Concat(spans.SelectMany(s => s.TagObjects.Select(t => $"{t.Key}={t.Value}")))
            .ToList();
        Assert.NotEmpty(exported);
        foreach (var forbidden in new[] { PatientText, "zxq", PatientName, "Zelda", "patient-zelda", ConversationId, "opening hours" })
        {
            Assert.DoesNotContain(exported, e => e.Contains(forbidden, StringComparison.OrdinalIgnoreCase));
        }
    }

    private static IEnumerable<MetricPoint> Points(IEnumerable<Metric> metrics)
    {
        foreach (var metric in metrics)
        {
            foreach (ref readonly var point in metric.GetMetricPoints())
            {
                yield return point;
            }
        }
    }

    private static IEnumerable<KeyValuePair<string, object?>> Tags(MetricPoint point)
    {
        var tags = new List<KeyValuePair<string, object?>>();
        foreach (var tag in point.Tags)
        {
            tags.Add(tag);
        }

        return tags;
    }
}
