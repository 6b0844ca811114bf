using Azure.Monitor.OpenTelemetry.Exporter;
using ClinicBot.Bot.Recognition.Clu;
using ClinicBot.Dialogs.Knowledge;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace ClinicBot.Bot.Observability;

public static class TelemetryExtensions
{
    /// <summary>The setting that turns on export to Application Insights (the standard variable name).</summary>
    public const string ConnectionStringSetting = "APPLICATIONINSIGHTS_CONNECTION_STRING";

    /// <summary>Records spans even without Application Insights, for an exporter added elsewhere (tests, a local collector).</summary>
    public const string TracingSetting = "Telemetry:Tracing";

    /// <summary>
    /// OpenTelemetry traces and metrics: ClinicBot's own (<see cref="ClinicBotTelemetry"/>: turns, recognizer latency,
    /// queue length per department, wait times, overdue follow-ups) plus ASP.NET Core and HttpClient instrumentation,
    /// with URLs reduced to route templates and hosts so no conversation id or token leaves the process. Exported to
    /// Application Insights (Azure Monitor) only when <c>APPLICATIONINSIGHTS_CONNECTION_STRING</c> is configured;
    /// otherwise collected and exported nowhere. Call after the recognizer and the handoff engine are added.
    /// </summary>
    public static IHostApplicationBuilder AddClinicBotTelemetry(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddSingleton<QueueMetricsSampler>();
        services.AddHostedService(sp => sp.GetRequiredService<QueueMetricsSampler>());
        services.AddSingleton<ClinicBotTelemetry>();
        services.AddSingleton<TurnTelemetryMiddleware>();
        services.AddSingleton<Microsoft.Bot.Builder.IMiddleware>(sp => sp.GetRequiredService<TurnTelemetryMiddleware>());

        // Measure whichever recognizer is configured.
        var recognizer = services.LastOrDefault(d => d.ServiceType == typeof(IQuestionRecognizer));
        if (recognizer is not null)
        {
            services.Remove(recognizer);
            services.AddSingleton<IQuestionRecognizer>(sp => new MeasuredQuestionRecognizer(
                (IQuestionRecognizer)(recognizer.ImplementationFactory?.Invoke(sp) ?? recognizer.ImplementationInstance ?? ActivatorUtilities.CreateInstance(sp, recognizer.ImplementationType!)),
                sp.GetService<IOptions<RecognizerOptions>>()?.Value.Provider == RecognizerProvider.Clu ? "clu" : "embedded",
                sp.GetRequiredService<ClinicBotTelemetry>()));
        }

        // Measure waits as chats are accepted.
        var queue = services.LastOrDefault(d => d.ServiceType == typeof(ClinicBot.Dialogs.Handoff.IHandoffQueue))
            ?? throw new InvalidOperationException("AddHandoffEngine must be called before AddClinicBotTelemetry.");
        services.Remove(queue);
        services.AddSingleton<ClinicBot.Dialogs.Handoff.IHandoffQueue>(sp => new MeasuredHandoffQueue(
            (ClinicBot.Dialogs.Handoff.IHandoffQueue)(queue.ImplementationFactory?.Invoke(sp) ?? queue.ImplementationInstance ?? ActivatorUtilities.CreateInstance(sp, queue.ImplementationType!)),
            sp.GetRequiredService<ClinicBotTelemetry>()));

        var connectionString = builder.Configuration[ConnectionStringSetting];
        var export = !string.IsNullOrWhiteSpace(connectionString);
        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("clinicbot", serviceInstanceId: Environment.MachineName));

        // Spans only where someone reads them. Registered with the sampler off, the instrumentation still made the ASP.NET
        // Core request and each reply to the connector build an Activity, run the listeners' callbacks and inject trace
        // headers: 2.3 % of a dialog turn's CPU for spans that were dropped.
        if (export || builder.Configuration.GetValue<bool>(TracingSetting))
        {
            telemetry.WithTracing(tracing =>
            {
                tracing.AddSource(ClinicBotTelemetry.Name)
                    .AddAspNetCoreInstrumentation(o =>
                    {
                        o.RecordException = false; // exception messages can quote input
                        o.EnrichWithHttpResponse = (activity, response) => activity.SetTag("url.path", RouteOf(response.HttpContext));
                    })
                    .AddHttpClientInstrumentation(o =>
                    {
                        o.RecordException = false;
                        // Connector URLs contain conversation ids: keep only scheme and host.
                        o.EnrichWithHttpRequestMessage = (activity, request) =>
                        {
                            if (request.RequestUri is { } uri)
                            {
                                activity.SetTag("url.full", uri.GetLeftPart(UriPartial.Authority) + "/");
                            }
                        };
                    });
                if (export)
                {
                    tracing.AddAzureMonitorTraceExporter(o => o.ConnectionString = connectionString);
                }
            });
        }

        telemetry
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(ClinicBotTelemetry.Name)
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation();
                if (export)
                {
                    metrics.AddAzureMonitorMetricExporter(o => o.ConnectionString = connectionString);
                }
            });
        return builder;
    }

    /// <summary>The matched route template ("/v3/directline/conversations/{conversationId}/activities"), never the raw path.</summary>
    internal static string RouteOf(HttpContext context) =>
        (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText is { } template
            ? "/" + template.TrimStart('/')
            : "(unmatched)";
}
