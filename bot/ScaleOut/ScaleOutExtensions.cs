using Azure.Identity;
using Microsoft.Azure.SignalR;
using Microsoft.Extensions.Options;

namespace ClinicBot.Bot.ScaleOut;

public static class ScaleOutExtensions
{
    /// <summary>
    /// What lets any instance serve any request: the staff console's SignalR messages reach every instance (Azure
    /// SignalR Service when <c>Azure:SignalR:ConnectionString</c> or <c>Azure:SignalR:Endpoint</c> is set; a Redis
    /// backplane when <c>ScaleOut:RedisConnectionString</c> is set; in-process otherwise), and staff presence is
    /// shared through the store (<see cref="SharedPresenceService"/>). Call after <c>AddStaffConsole</c>.
    /// </summary>
    public static IHostApplicationBuilder AddClinicBotScaleOut(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        var configuration = builder.Configuration;
        services.AddOptions<ScaleOutOptions>()
            .BindConfiguration(ScaleOutOptions.SectionName)
            .Configure(o =>
            {
                o.AzureSignalRConnectionString = configuration["Azure:SignalR:ConnectionString"];
                o.AzureSignalREndpoint = configuration["Azure:SignalR:Endpoint"];
            })
            .ValidateDataAnnotations()
            .ValidateOnStart();

        services.AddSingleton<SharedPresenceService>();
        services.AddHostedService(sp => sp.GetRequiredService<SharedPresenceService>());

        var options = configuration.GetSection(ScaleOutOptions.SectionName).Get<ScaleOutOptions>() ?? new ScaleOutOptions();
        options.AzureSignalRConnectionString = configuration["Azure:SignalR:ConnectionString"];
        options.AzureSignalREndpoint = configuration["Azure:SignalR:Endpoint"];
        if (options.UsesAzureSignalR && options.UsesRedis)
        {
            return builder; // validation on start names the conflict
        }

        var signalR = services.AddSignalR();
        if (!string.IsNullOrWhiteSpace(options.AzureSignalRConnectionString))
        {
            signalR.AddAzureSignalR(o => o.ConnectionString = options.AzureSignalRConnectionString);
        }
        else if (Uri.TryCreate(options.AzureSignalREndpoint, UriKind.Absolute, out var endpoint) && endpoint.Scheme == Uri.UriSchemeHttps)
        {
            // Microsoft Entra ID: the app's managed identity needs the "SignalR App Server" role on the resource.
            signalR.AddAzureSignalR(o => o.Endpoints = [new ServiceEndpoint(endpoint, new DefaultAzureCredential())]);
        }
        else if (options.UsesRedis)
        {
            signalR.AddStackExchangeRedis(options.RedisConnectionString!, o => o.Configuration.ChannelPrefix = StackExchange.Redis.RedisChannel.Literal("clinicbot"));
        }

        return builder;
    }

    /// <summary>Which backplane carries the console's messages, for the start-up log line.</summary>
    public static string Backplane(this ScaleOutOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.UsesAzureSignalR ? "Azure SignalR Service" : options.UsesRedis ? "Redis" : "none (single instance)";
    }
}
