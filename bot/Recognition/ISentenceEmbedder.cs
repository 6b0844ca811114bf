namespace ClinicBot.Bot.Recognition;

/// <summary>Turns sentences into fixed-size embedding vectors. Implementations are thread-safe.</summary>
public interface ISentenceEmbedder
{
    /// <summary>Identifies the model, so cached vectors from another model are never reused.</summary>
    string ModelId { get; }

    int Dimensions { get; }

    float[][] Embed(IReadOnlyList<string> texts, CancellationToken cancellationToken);
}
