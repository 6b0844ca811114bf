using Azure.Identity;
using ClinicBot.Bot.Staff;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.StackExchangeRedis;
using Microsoft.Azure.SignalR;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

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

        // Azure SignalR Service replaces SignalR's transport and dispatcher, so it is chosen from the configuration
        // present when services are registered (App Service settings, environment variables, Key Vault references).
        var signalR = services.AddSignalR();
        var connectionString = configuration["Azure:SignalR:ConnectionString"];
        var endpointSetting = configuration["Azure:SignalR:Endpoint"];
        var redisSetting = configuration[$"{ScaleOutOptions.SectionName}:{nameof(ScaleOutOptions.RedisConnectionString)}"];
        var bothConfigured = (!string.IsNullOrWhiteSpace(connectionString) || !string.IsNullOrWhiteSpace(endpointSetting)) && !string.IsNullOrWhiteSpace(redisSetting);
        if (!bothConfigured && !string.IsNullOrWhiteSpace(connectionString))
        {
            signalR.AddAzureSignalR(o => o.ConnectionString = connectionString);
            return builder;
        }

        if (!bothConfigured && Uri.TryCreate(endpointSetting, UriKind.Absolute, out var endpoint) && endpoint.Scheme == Uri.UriSchemeHttps)
        {
            // Microsoft Entra ID: the app's managed identity needs the "SignalR App Server" role on the resource.
            signalR.AddAzureSignalR(o => o.Endpoints = [new ServiceEndpoint(endpoint, new DefaultAzureCredential())]);
            return builder;
        }

        // The Redis backplane (or none) is chosen when the hub's lifetime manager is first needed, from the validated
        // options, so configuration added late (tests, user secrets) counts too.
        services.AddOptions<RedisOptions>().Configure<IOptions<ScaleOutOptions>>((redis, scaleOut) =>
        {
            if (scaleOut.Value.UsesRedis)
            {
                redis.Configuration = ConfigurationOptions.Parse(scaleOut.Value.RedisConnectionString!);
                redis.Configuration.ChannelPrefix = RedisChannel.Literal("clinicbot");
                redis.Configuration.AbortOnConnectFail = false;
            }
        });
        services.AddSingleton<HubLifetimeManager<StaffHub>>(sp => sp.GetRequiredService<IOptions<ScaleOutOptions>>().Value.UsesRedis
            ? ActivatorUtilities.CreateInstance<RedisHubLifetimeManager<StaffHub>>(sp)
            : ActivatorUtilities.CreateInstance<DefaultHubLifetimeManager<StaffHub>>(sp));
        return builder;
    }

    /// <summary>Which backplane carries the console's messages, for the start-up log line.</summary>
    public static string Backplane(this ScaleOutOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.UsesAzureSignalR ? "Azure SignalR Service" : options.UsesRedis ? "Redis" : "none (single instance)";
    }
}
