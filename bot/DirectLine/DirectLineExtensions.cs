using ClinicBot.Bot.Proactive;
using ClinicBot.Bot.Storage.Sqlite;
using Microsoft.Extensions.Options;

namespace ClinicBot.Bot.DirectLine;

public static class DirectLineExtensions
{
    /// <summary>
    /// The built-in Direct Line 3.0 channel (section <c>DirectLine</c>): signed tokens, the durable activity log
    /// in SQLite, the adapter that feeds the same bot as every other channel, and its proactive channel.
    /// </summary>
    public static IHostApplicationBuilder AddBuiltInDirectLine(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<DirectLineOptions>()
            .BindConfiguration(DirectLineOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        services.AddSqliteMigration(DirectLineActivityLog.Schema);
        services.AddSingleton<DirectLineSigningKey>();
        services.AddSingleton<DirectLineTokenService>();
        services.AddSingleton<DirectLineActivityLog>();
        services.AddSingleton<DirectLineStreams>();
        services.AddSingleton<DirectLineRateLimiter>();
        services.AddSingleton(sp => new DirectLineAdapter(
            sp.GetRequiredService<DirectLineActivityLog>(),
            sp.GetRequiredService<DirectLineStreams>(),
            sp.GetRequiredService<Dialogs.Bots.TurnErrorHandler>(),
            sp.GetServices<Microsoft.Bot.Builder.IMiddleware>()));
        services.AddSingleton<DirectLineConversations>();
        services.AddSingleton<IProactiveChannel, DirectLineProactiveChannel>();
        return builder;
    }

    /// <summary>Serves Direct Line 3.0 at /v3/directline (with WebSockets) unless <c>DirectLine:Enabled</c> is false.</summary>
    public static WebApplication MapBuiltInDirectLine(this WebApplication app)
    {
        if (!app.Services.GetRequiredService<IOptions<DirectLineOptions>>().Value.Enabled)
        {
            return app;
        }

        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(30) });
        app.MapDirectLineApi();
        return app;
    }
}
