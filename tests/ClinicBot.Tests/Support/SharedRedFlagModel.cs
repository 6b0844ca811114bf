using ClinicBot.Bot.Recognition;
using ClinicBot.Bot.Safety;
using Microsoft.Extensions.Logging.Abstractions;

namespace ClinicBot.Tests.Support;

/// <summary>
/// The real red-flag model (MiniLM and the shipped examples) for tests that run the conversation layer without a host:
/// one encoder for the whole test run, trained once, embeddings cached with the other tests' knowledge cache.
/// </summary>
internal static class SharedRedFlagModel
{
    private static readonly Lazy<EmbeddingRedFlagModel> Model = new(() =>
    {
        var embedder = new MiniLmSentenceEmbedder(NullLogger<MiniLmSentenceEmbedder>.Instance);
        var model = EmbeddingRedFlagModel.WithShippedExamples(embedder, new QueryEmbeddingBatcher(embedder), ClinicBotFactory.SharedKnowledgeCache, NullLogger<EmbeddingRedFlagModel>.Instance);
        model.WarmUpAsync(CancellationToken.None).GetAwaiter().GetResult();
        return model;
    });

    public static EmbeddingRedFlagModel Instance => Model.Value;
}
