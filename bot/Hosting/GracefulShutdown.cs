using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace ClinicBot.Bot.Hosting;

/// <summary>Section <c>Shutdown</c>: how long a stopping host (SIGTERM, a deployment slot swap) waits for in-flight turns.</summary>
public sealed class ShutdownOptions
{
    public const string SectionName = "Shutdown";

    /// <summary>
    /// On SIGTERM the server stops accepting requests and waits up to this long for requests in flight (turns, staff
    /// actions) to finish and be acknowledged before anything is disposed. Keep it below the platform's own grace period
    /// (Kubernetes 30 s by default, App Service 30 s... raise both together).
    /// </summary>
    [Range(1, 600)]
    public int TimeoutSeconds { get; set; } = 25;
}

public static class GracefulShutdownExtensions
{
    /// <summary>Sets <see cref="HostOptions.ShutdownTimeout"/> from <see cref="ShutdownOptions"/> (validated at start).</summary>
    public static IHostApplicationBuilder AddGracefulShutdown(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ShutdownOptions>()
            .BindConfiguration(ShutdownOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddOptions<HostOptions>()
            .Configure<IOptions<ShutdownOptions>>((host, shutdown) => host.ShutdownTimeout = TimeSpan.FromSeconds(shutdown.Value.TimeoutSeconds));
        return builder;
    }
}
