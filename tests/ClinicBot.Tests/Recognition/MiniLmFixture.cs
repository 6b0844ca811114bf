using ClinicBot.Bot.Recognition;
using ClinicBot.Dialogs.Knowledge;
using ClinicBot.Tests.Knowledge;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace ClinicBot.Tests.Recognition;

/// <summary>One MiniLM encoder for all recognizer tests (loading it takes most of a second).</summary>
public sealed class MiniLmFixture : IDisposable
{
    public MiniLmSentenceEmbedder Embedder { get; } = new(NullLogger<MiniLmSentenceEmbedder>.Instance);

    public void Dispose() => Embedder.Dispose();
}

[CollectionDefinition(Name)]
public sealed class MiniLmCollection : ICollectionFixture<MiniLmFixture>
{
    public const string Name = "MiniLM";
}

/// <summary>Counts the texts an embedder is asked to encode.</summary>
internal sealed class CountingEmbedder(ISentenceEmbedder inner) : ISentenceEmbedder
{
    private int _texts;

    public int TextsEncoded => Volatile.Read(ref _texts);

    public string ModelId => inner.ModelId;

    public int Dimensions => inner.Dimensions;

    public float[][] Embed(IReadOnlyList<string> texts, CancellationToken cancellationToken)
    {
        Interlocked.Add(ref _texts, texts.Count);
        return inner.Embed(texts, cancellationToken);
    }
}

/// <summary>A copy of the sample knowledge base in a temp folder, with its own embedding cache folder.</summary>
internal sealed class RecognizerSandbox : IDisposable
{
    public RecognizerSandbox()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("clinicbot-recognizer-").FullName;
        KnowledgePath = Path.Combine(Directory, "clinic-faq.yaml");
        File.Copy(KnowledgeBaseYamlTests.SamplePath, KnowledgePath);
        Options = new KnowledgeOptions
        {
            Path = KnowledgePath,
            EmbeddingCachePath = Path.Combine(Directory, "cache"),
            OverlayPath = Path.Combine(Directory, "clinic-faq.added.yaml"),
        };
        Source = new YamlKnowledgeBaseSource(Options.ResolvedPath, Options.ResolvedOverlayPath);
        Store = KnowledgeBaseStore.Load(Source, new FakeTimeProvider());
    }

    public string Directory { get; }

    public string KnowledgePath { get; }

    public KnowledgeOptions Options { get; }

    public YamlKnowledgeBaseSource Source { get; }

    public KnowledgeBaseStore Store { get; }

    public EmbeddedQuestionRecognizer CreateRecognizer(ISentenceEmbedder embedder) =>
        new(Store, embedder, Microsoft.Extensions.Options.Options.Create(Options), NullLogger<EmbeddedQuestionRecognizer>.Instance);

    public void Dispose()
    {
        Store.Dispose();
        Source.Dispose();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
