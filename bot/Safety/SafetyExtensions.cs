using ClinicBot.Bot.Recognition;
using ClinicBot.Dialogs.Knowledge;
using ClinicBot.Dialogs.Safety;
using Microsoft.Extensions.Options;

namespace ClinicBot.Bot.Safety;

public static class SafetyExtensions
{
    /// <summary>
    /// The red-flag model (trained at start on <c>Safety:ExamplesPath</c>, before traffic arrives; a bad examples file
    /// stops the host with its line number) and the on-call email (<see cref="OnCallOptions"/>, checked at start).
    /// Call after <see cref="RecognitionExtensions.AddClinicBotKnowledge"/>: the model reads the embeddings the
    /// question recognizer computes.
    /// </summary>
    public static IHostApplicationBuilder AddClinicBotSafety(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<OnCallOptions>()
            .BindConfiguration(OnCallOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton(sp => new EmbeddingRedFlagModel(
            sp.GetRequiredService<ISentenceEmbedder>(),
            sp.GetRequiredService<QueryEmbeddingBatcher>(),
            () => RedFlagExamples.Load(sp.GetRequiredService<IOptions<SafetyOptions>>().Value.ResolvedExamplesPath),
            sp.GetRequiredService<IOptions<KnowledgeOptions>>().Value.ResolvedEmbeddingCachePath,
            sp.GetRequiredService<ILogger<EmbeddingRedFlagModel>>()));
        services.AddSingleton<IRedFlagModel>(sp => sp.GetRequiredService<EmbeddingRedFlagModel>());
        services.AddHostedService<RedFlagModelWarmup>();
        services.AddSingleton<EmailOnCallAlerts>();
        services.AddSingleton<IOnCallAlerts>(sp => sp.GetRequiredService<EmailOnCallAlerts>());
        services.AddHostedService(sp => sp.GetRequiredService<EmailOnCallAlerts>());
        return builder;
    }

    /// <summary>Trains the red-flag model before the web server takes traffic; a failure stops the host.</summary>
    private sealed class RedFlagModelWarmup(EmbeddingRedFlagModel model) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => model.WarmUpAsync(cancellationToken);

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
