using ClinicBot.Bot.Recognition.Clu;
using ClinicBot.Dialogs.Knowledge;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ClinicBot.Bot.Recognition;

public static class RecognitionExtensions
{
    /// <summary>
    /// The FAQ knowledge base and its recognizer: binds and validates <see cref="KnowledgeOptions"/> (section
    /// <c>KnowledgeBase</c>), loads and validates the knowledge base when the host starts (the host fails with the
    /// loader's message, naming each bad entry and field), and trains the embedded recognizer before traffic arrives.
    /// </summary>
    public static IHostApplicationBuilder AddClinicBotKnowledge(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<KnowledgeOptions>()
            .BindConfiguration(KnowledgeOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<IKnowledgeBaseSource>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<KnowledgeOptions>>().Value;
            return new YamlKnowledgeBaseSource(options.ResolvedPath, options.ResolvedOverlayPath);
        });
        services.AddSingleton(sp => KnowledgeBaseStore.Load(sp.GetRequiredService<IKnowledgeBaseSource>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IKnowledgeBase>(sp => sp.GetRequiredService<KnowledgeBaseStore>());

        // The model file is kept with the embedding cache, under the bot's data folder.
        services.TryAddSingleton<ISentenceEmbedder>(sp => new MiniLmSentenceEmbedder(
            sp.GetRequiredService<ILogger<MiniLmSentenceEmbedder>>(),
            Path.Combine(sp.GetRequiredService<IOptions<KnowledgeOptions>>().Value.ResolvedEmbeddingCachePath, "model")));
        services.AddSingleton(sp => new QueryEmbeddingBatcher(sp.GetRequiredService<ISentenceEmbedder>()));
        services.AddSingleton(sp => new EmbeddedQuestionRecognizer(
            sp.GetRequiredService<IKnowledgeBase>(),
            sp.GetRequiredService<ISentenceEmbedder>(),
            sp.GetRequiredService<QueryEmbeddingBatcher>(),
            sp.GetRequiredService<IOptions<KnowledgeOptions>>(),
            sp.GetRequiredService<ILogger<EmbeddedQuestionRecognizer>>()));
        services.AddClinicBotQuestionRecognizer(); // Recognizer:Provider: the embedded recognizer, or CLU falling back to it
        services.AddSingleton<MedicalAdviceDetector>();
        services.AddHostedService<KnowledgeRecognizerWarmup>();
        return builder;
    }
}
