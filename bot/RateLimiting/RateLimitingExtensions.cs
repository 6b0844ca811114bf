using System.Globalization;
using System.Threading.RateLimiting;
using ClinicBot.Bot.BotFramework;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace ClinicBot.Bot.RateLimiting;

/// <summary>
/// ASP.NET Core's rate limiter on the public endpoints: per client address on the token endpoints (and on
/// /api/messages in unauthenticated mode), per conversation on /api/messages. Rejections are 429 with Retry-After
/// and a problem+json reason.
/// </summary>
public static class RateLimitingExtensions
{
    /// <summary>Policy of POST /api/webchat/token, /v3/directline/tokens/generate and /v3/directline/conversations.</summary>
    public const string TokenPolicy = "public-tokens";

    /// <summary>Policy of POST /api/messages (per client address, unauthenticated mode only).</summary>
    public const string MessagesPolicy = "bot-messages";

    public static IHostApplicationBuilder AddClinicBotRateLimits(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<RateLimitOptions>()
            .BindConfiguration(RateLimitOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<ConversationRateLimiter>();
        builder.Services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = (context, cancellationToken) =>
            {
                var window = context.HttpContext.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value.WindowSeconds;
                var seconds = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter)
                    ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds))
                    : window;
                return new ValueTask(TooManyRequests(context.HttpContext, seconds, "Too many requests from this address").ExecuteAsync(context.HttpContext));
            };
            limiter.AddPolicy(TokenPolicy, http =>
            {
                var options = Options(http);
                return RateLimitPartition.GetFixedWindowLimiter(ClientAddress(http), _ => Window(options.TokenRequestsPerWindow, options.WindowSeconds));
            });
            limiter.AddPolicy(MessagesPolicy, http =>
            {
                if (http.RequestServices.GetRequiredService<IOptions<BotAuthenticationOptions>>().Value.IsAuthenticationEnabled)
                {
                    return RateLimitPartition.GetNoLimiter("azure-bot-service");
                }

                var options = Options(http);
                return RateLimitPartition.GetFixedWindowLimiter(ClientAddress(http), _ => Window(options.MessagesPerWindowPerClient, options.WindowSeconds));
            });
        });
        return builder;
    }

    /// <summary>Adds the rate limiter to the pipeline (after routing, so endpoints' policies apply).</summary>
    public static WebApplication UseClinicBotRateLimits(this WebApplication app)
    {
        app.UseRateLimiter();
        return app;
    }

    /// <summary>429 with Retry-After and a reason.</summary>
    public static IResult TooManyRequests(HttpContext http, int retryAfterSeconds, string what)
    {
        http.Response.Headers.RetryAfter = retryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        return Results.Problem(detail: $"{what}; retry after {retryAfterSeconds} s.", statusCode: StatusCodes.Status429TooManyRequests);
    }

    private static RateLimitOptions Options(HttpContext http) => http.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value;

    private static string ClientAddress(HttpContext http) => http.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    private static FixedWindowRateLimiterOptions Window(int permits, int seconds) => new()
    {
        PermitLimit = permits,
        Window = TimeSpan.FromSeconds(seconds),
        QueueLimit = 0,
        AutoReplenishment = true,
    };
}

/// <summary>Per-conversation limit on /api/messages, applied once the activity is read (the conversation id is in the body).</summary>
public sealed class ConversationRateLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter;

    public ConversationRateLimiter(IOptions<RateLimitOptions> options)
    {
        var settings = options.Value;
        _limiter = PartitionedRateLimiter.Create<string, string>(conversationId => RateLimitPartition.GetFixedWindowLimiter(conversationId, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = settings.MessagesPerWindowPerConversation,
            Window = TimeSpan.FromSeconds(settings.WindowSeconds),
            QueueLimit = 0,
            AutoReplenishment = true,
        }));
        WindowSeconds = settings.WindowSeconds;
    }

    public int WindowSeconds { get; }

    /// <summary>True when the conversation may post; otherwise the seconds to wait.</summary>
    public bool TryAcquire(string conversationId, out int retryAfterSeconds)
    {
        using var lease = _limiter.AttemptAcquire(conversationId);
        retryAfterSeconds = lease.IsAcquired ? 0
            : lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)) : WindowSeconds;
        return lease.IsAcquired;
    }

    public void Dispose() => _limiter.Dispose();
}
