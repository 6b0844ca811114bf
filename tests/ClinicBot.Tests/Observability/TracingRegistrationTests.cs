using ClinicBot.Bot.Observability;
using ClinicBot.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;

namespace ClinicBot.Tests.Observability;

/// <summary>
/// Spans are built only where someone reads them: a tracer provider's instrumentation makes every request and every
/// reply to the connector build an Activity and inject trace headers, sampled or not.
/// </summary>
public sealed class TracingRegistrationTests
{
    [Fact]
    public async Task WithoutApplicationInsightsNoSpansAreBuilt()
    {
        await using var factory = new ClinicBotFactory();

        Assert.Null(factory.Services.GetService<TracerProvider>());
        Assert.NotNull(factory.Services.GetService<OpenTelemetry.Metrics.MeterProvider>());
    }

    [Fact]
    public async Task TheTracingSettingRecordsSpansForAnExporterAddedElsewhere()
    {
        await using var factory = new ClinicBotFactory(hostSettings: new Dictionary<string, string?> { [TelemetryExtensions.TracingSetting] = "true" });

        Assert.NotNull(factory.Services.GetService<TracerProvider>());
    }
}
