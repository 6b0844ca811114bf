using Microsoft.Extensions.Options;

namespace ClinicBot.Bot.WebChat;

public static class WebChatExtensions
{
    /// <summary>The website chat widget: options (sections <c>WebChat</c>, <c>PatientPortal</c>), portal token checks, the Azure token exchange.</summary>
    public static IHostApplicationBuilder AddWebChatPage(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<WebChatOptions>()
            .BindConfiguration(WebChatOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<PatientPortalOptions>()
            .BindConfiguration(PatientPortalOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<PatientPortalTokens>();
        services.AddHttpClient<AzureDirectLineTokens>(AzureDirectLineTokens.HttpClientName, client => client.Timeout = TimeSpan.FromSeconds(15));
        return builder;
    }

    /// <summary>
    /// The demo clinic page at / (bot/wwwroot) with the self-hosted Web Chat bundle, and POST /api/webchat/token.
    /// </summary>
    public static WebApplication MapWebChatPage(this WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            // The page and the widget load only from this origin; Web Chat styles itself with inline styles.
            if (context.Request.Path == "/" || context.Request.Path.StartsWithSegments("/index.html"))
            {
                var azure = context.RequestServices.GetRequiredService<IOptions<WebChatOptions>>().Value;
                var connect = azure.UsesAzureDirectLine && Uri.TryCreate(azure.DirectLineBaseUrl, UriKind.Absolute, out var baseUrl)
                    ? $"'self' ws: wss: {baseUrl.GetLeftPart(UriPartial.Authority)} wss://{baseUrl.Host}"
                    : "'self' ws: wss:";
                context.Response.Headers.ContentSecurityPolicy =
                    $"default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; connect-src {connect}; frame-ancestors 'none'; base-uri 'none'";
                context.Response.Headers.XContentTypeOptions = "nosniff";
                context.Response.Headers["Referrer-Policy"] = "no-referrer";
            }

            await next(context);
        });
        app.UseDefaultFiles();
        // Serves every file under wwwroot (the page, Web Chat, the staff console); each area's security headers
        // are set by middleware registered before this one.
        app.UseStaticFiles();
        app.MapPost("/api/webchat/token", WebChatTokenEndpoint.HandleAsync)
            .DisableAntiforgery()
            .RequireRateLimiting(RateLimiting.RateLimitingExtensions.TokenPolicy)
            .WithName("WebChatToken");
        return app;
    }
}
