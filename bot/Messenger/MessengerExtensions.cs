using ClinicBot.Bot.Storage.Sqlite;

namespace ClinicBot.Bot.Messenger;

public static class MessengerExtensions
{
    /// <summary>
    /// The direct Facebook Messenger channel (section <c>Messenger</c>, off unless <c>Messenger:Enabled</c>): webhook
    /// inbox, background processor, Send/User Profile API client, adapter and proactive channel. Facebook through
    /// Azure Bot Service needs none of this (it arrives at /api/messages).
    /// </summary>
    public static IHostApplicationBuilder AddMessengerChannel(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<MessengerOptions>()
            .BindConfiguration(MessengerOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        services.AddMemoryCache();

        // No request logging: Graph API URLs carry the page access token.
        services.AddHttpClient(MessengerGraphClient.HttpClientName, http => http.Timeout = TimeSpan.FromSeconds(20)).RemoveAllLoggers();
        services.AddSingleton<MessengerGraphClient>();
        services.AddSingleton<MessengerProfiles>();

        services.AddSqliteMigration(MessengerInbox.Schema);
        services.AddSingleton<MessengerInbox>();
        services.AddSingleton<MessengerInboxSignal>();
        services.AddSingleton(sp => new MessengerAdapter(
            sp.GetRequiredService<MessengerGraphClient>(),
            sp.GetRequiredService<MessengerInbox>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<MessengerAdapter>>(),
            sp.GetRequiredService<Dialogs.Bots.TurnErrorHandler>(),
            sp.GetServices<Microsoft.Bot.Builder.IMiddleware>()));
        services.AddSingleton<MessengerCommentHandler>();
        services.AddSingleton<Proactive.IProactiveChannel, MessengerProactiveChannel>();
        services.AddSingleton<MessengerInboxProcessor>();
        services.AddHostedService(sp => sp.GetRequiredService<MessengerInboxProcessor>());
        return builder;
    }

    public static IEndpointRouteBuilder MapMessengerChannel(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/messenger", MessengerWebhook.Verify).WithName("MessengerWebhookVerification");
        endpoints.MapPost("/api/messenger", MessengerWebhook.ReceiveAsync).DisableAntiforgery().WithName("MessengerWebhook");
        return endpoints;
    }
}
