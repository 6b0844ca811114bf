using Microsoft.Bot.Builder;
using Microsoft.Bot.Builder.Integration.AspNet.Core;
using Microsoft.Bot.Connector.Authentication;
using Microsoft.Extensions.Options;

namespace ClinicBot.Bot.BotFramework;

public static class BotFrameworkExtensions
{
    /// <summary>The Azure Bot Service channel: authentication, the cached-connector CloudAdapter, limits.</summary>
    public static IHostApplicationBuilder AddBotFrameworkChannel(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<BotAuthenticationOptions>()
            .Bind(builder.Configuration)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddOptions<BotHostOptions>()
            .BindConfiguration(BotHostOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        // The connector client (Bot Framework's factory asks for the default client) without the factory's logging
        // handlers: they log each reply's URL, which carries the conversation id, at Information, below the level the
        // bot logs HttpClient at, and cost two handlers' work and allocations on every reply regardless.
        builder.Services.AddHttpClient(Options.DefaultName).RemoveAllLoggers();
        builder.Services.AddSingleton<BotFrameworkAuthentication>(sp =>
        {
            var stock = new ConfigurationBotFrameworkAuthentication(
                sp.GetRequiredService<IConfiguration>(),
                httpClientFactory: sp.GetRequiredService<IHttpClientFactory>(),
                logger: sp.GetRequiredService<ILogger<ConfigurationBotFrameworkAuthentication>>());
            return sp.GetRequiredService<IOptions<BotHostOptions>>().Value.CacheConnectorClients
                ? new CachingBotFrameworkAuthentication(stock)
                : stock;
        });

        // CloudAdapter's constructors are ambiguous to DI, so it is built explicitly.
        builder.Services.AddSingleton(sp => new ClinicBotCloudAdapter(
            sp.GetRequiredService<BotFrameworkAuthentication>(),
            sp.GetRequiredService<ILogger<ClinicBotCloudAdapter>>(),
            sp.GetRequiredService<Dialogs.Bots.TurnErrorHandler>(),
            sp.GetServices<Microsoft.Bot.Builder.IMiddleware>()));
        builder.Services.AddSingleton<IBotFrameworkHttpAdapter>(sp => sp.GetRequiredService<ClinicBotCloudAdapter>());
        builder.Services.AddSingleton<Proactive.IProactiveChannel, CloudAdapterProactiveChannel>();
        builder.Services.AddHostedService<AnonymousModeWarning>();
        return builder;
    }

    public static IEndpointRouteBuilder MapBotFrameworkChannel(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/api/messages", BotMessagesEndpoint.HandleAsync)
            .DisableAntiforgery()
            .RequireRateLimiting(RateLimiting.RateLimitingExtensions.MessagesPolicy)
            .WithName("BotFrameworkMessages");
        return endpoints;
    }

    /// <summary>Says once, at start, that the bot accepts unauthenticated requests.</summary>
    private sealed class AnonymousModeWarning(IOptions<BotAuthenticationOptions> options, ILogger<AnonymousModeWarning> logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            if (!options.Value.IsAuthenticationEnabled)
            {
                logger.LogWarning(
                    "MicrosoftAppId is not configured: /api/messages accepts unauthenticated requests. " +
                    "This is meant for local use only; configure MicrosoftAppType, MicrosoftAppId, MicrosoftAppPassword and MicrosoftAppTenantId in production.");
            }

            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
