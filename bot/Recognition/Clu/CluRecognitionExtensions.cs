using ClinicBot.Dialogs.Knowledge;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;

namespace ClinicBot.Bot.Recognition.Clu;

/// <summary>Registers the recognizer chosen by <c>Recognizer:Provider</c>.</summary>
public static class CluRecognitionExtensions
{
    /// <summary>Name of the CLU HttpClient and its resilience pipeline.</summary>
    public const string HttpClientName = "clu";

    /// <summary>
    /// Binds and validates <see cref="RecognizerOptions"/> (section <c>Recognizer</c>, validated on start), registers
    /// <see cref="CluConversationClient"/> (typed HttpClient with authentication and a resilience pipeline: total
    /// timeout <c>Recognizer:Clu:TimeoutSeconds</c>, per-attempt timeout half of it, 2 retries with exponential
    /// backoff and jitter on 5xx/408/429/network errors, circuit breaker) and <see cref="IQuestionRecognizer"/>:
    /// the <see cref="EmbeddedQuestionRecognizer"/> when the provider is <c>Embedded</c>, otherwise
    /// <see cref="CluQuestionRecognizer"/> with the embedded recognizer as its fallback.
    /// </summary>
    public static IServiceCollection AddClinicBotQuestionRecognizer(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<RecognizerOptions>()
            .BindConfiguration(RecognizerOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        services.AddTransient<CluAuthenticationHandler>();
        services.AddHttpClient<CluConversationClient>(HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .AddHttpMessageHandler<CluAuthenticationHandler>()
            .AddResilienceHandler(HttpClientName, static (pipeline, context) =>
            {
                var clu = context.ServiceProvider.GetRequiredService<IOptions<RecognizerOptions>>().Value.Clu;
                var total = TimeSpan.FromSeconds(clu.TimeoutSeconds);
                pipeline
                    .AddTimeout(total)
                    .AddRetry(new HttpRetryStrategyOptions
                    {
                        MaxRetryAttempts = 2,
                        BackoffType = DelayBackoffType.Exponential,
                        Delay = TimeSpan.FromMilliseconds(200),
                        UseJitter = true,
                    })
                    .AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
                    {
                        FailureRatio = 0.5,
                        MinimumThroughput = 5,
                        SamplingDuration = TimeSpan.FromSeconds(30),
                        BreakDuration = TimeSpan.FromSeconds(30),
                    })
                    .AddTimeout(total / 2);
            });

        services.AddSingleton<CluQuestionRecognizer>(sp => new CluQuestionRecognizer(
            sp.GetRequiredService<CluConversationClient>(),
            sp.GetRequiredService<IKnowledgeBase>(),
            sp.GetRequiredService<EmbeddedQuestionRecognizer>(),
            sp.GetRequiredService<IOptions<RecognizerOptions>>(),
            sp.GetRequiredService<IOptions<KnowledgeOptions>>(),
            sp.GetRequiredService<ILogger<CluQuestionRecognizer>>()));
        services.AddSingleton<IQuestionRecognizer>(sp => sp.GetRequiredService<IOptions<RecognizerOptions>>().Value.Provider switch
        {
            RecognizerProvider.Clu => sp.GetRequiredService<CluQuestionRecognizer>(),
            _ => sp.GetRequiredService<EmbeddedQuestionRecognizer>(),
        });
        return services;
    }
}
