using ClinicBot.Dialogs.Knowledge;

namespace ClinicBot.Tests.Recognition;

[Collection(MiniLmCollection.Name)]
public sealed class EmbeddedQuestionRecognizerTests(MiniLmFixture fixture) : IDisposable
{
    private readonly RecognizerSandbox _sandbox = new();

    public void Dispose() => _sandbox.Dispose();

    [Theory]
    [InlineData("what time do you open on saturday", "hours")]
    [InlineData("where can i park my car", "parking")]
    [InlineData("do you take aetna insurance", "insurance-accepted")]
    [InlineData("I need to cancel, is there a charge?", "cancellation-policy")]
    [InlineData("does my kid need a parent there", "pediatric-pt")]
    [InlineData("what's the address of the eastside clinic", "location-eastside")]
    public async Task Recognizes_clear_paraphrases_confidently(string text, string expectedId)
    {
        using var recognizer = _sandbox.CreateRecognizer(fixture.Embedder);

        var result = await recognizer.RecognizeAsync(text, CancellationToken.None);

        Assert.Equal(expectedId, result.Best?.Id);
        Assert.True(result.IsConfident, $"confidence {result.Confidence:F2} below threshold {result.Threshold:F2}");
        Assert.Same(result.Best, result.Accepted);
        Assert.Equal(_sandbox.Options.CandidateCount, result.Candidates.Count);
        Assert.Equal(result.Confidence, result.Candidates[0].Probability);
        Assert.True(result.Candidates.Zip(result.Candidates.Skip(1)).All(p => p.First.Probability >= p.Second.Probability));
    }

    [Theory]
    [InlineData("what's the capital of france")]
    [InlineData("tell me a joke")]
    [InlineData("who won the game last night")]
    [InlineData("do you sell gift cards")]
    public async Task Rejects_clearly_out_of_scope_questions(string text)
    {
        using var recognizer = _sandbox.CreateRecognizer(fixture.Embedder);

        var result = await recognizer.RecognizeAsync(text, CancellationToken.None);

        Assert.False(result.IsConfident, $"answered with {result.Best?.Id} at {result.Confidence:F2}");
        Assert.Null(result.Accepted);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public async Task Blank_text_recognizes_nothing(string text)
    {
        using var recognizer = _sandbox.CreateRecognizer(fixture.Embedder);

        var result = await recognizer.RecognizeAsync(text, CancellationToken.None);

        Assert.Null(result.Best);
        Assert.Empty(result.Candidates);
    }

    [Fact]
    public async Task Embedding_cache_is_written_and_reused_on_the_next_start()
    {
        var firstEmbedder = new CountingEmbedder(fixture.Embedder);
        using (var first = _sandbox.CreateRecognizer(firstEmbedder))
        {
            await first.WarmUpAsync(CancellationToken.None);
            Assert.True(File.Exists(first.CurrentCacheFile));
            Assert.Contains(_sandbox.Store.Current.ContentHash, first.CurrentCacheFile, StringComparison.Ordinal);
        }

        var textCount = _sandbox.Store.Current.Entries.SelectMany(e => e.TrainingTexts).Distinct().Count();
        Assert.Equal(textCount + 1, firstEmbedder.TextsEncoded); // plus the warm-up sentence

        var secondEmbedder = new CountingEmbedder(fixture.Embedder);
        using var second = _sandbox.CreateRecognizer(secondEmbedder);
        var result = await second.RecognizeAsync("is there parking", CancellationToken.None);
        Assert.Equal("parking", result.Best?.Id);
        Assert.Equal(1, secondEmbedder.TextsEncoded); // only the query: every knowledge-base text came from the cache
    }

    [Fact]
    public async Task Corrupt_cache_file_is_ignored_and_rewritten()
    {
        using (var first = _sandbox.CreateRecognizer(fixture.Embedder))
        {
            await first.WarmUpAsync(CancellationToken.None);
            await File.WriteAllBytesAsync(first.CurrentCacheFile, [1, 2, 3]);
        }

        var embedder = new CountingEmbedder(fixture.Embedder);
        using var second = _sandbox.CreateRecognizer(embedder);
        var result = await second.RecognizeAsync("is there parking", CancellationToken.None);

        Assert.Equal("parking", result.Best?.Id);
        Assert.True(embedder.TextsEncoded > 1);
        Assert.True(new FileInfo(second.CurrentCacheFile).Length > 3);
    }

    [Fact]
    public async Task Added_staff_answer_becomes_recognizable_encoding_only_new_text()
    {
        var embedder = new CountingEmbedder(fixture.Embedder);
        using var recognizer = _sandbox.CreateRecognizer(embedder);
        await recognizer.WarmUpAsync(CancellationToken.None);
        var before = await recognizer.RecognizeAsync("Can I bring my own yoga mat to my appointments?", CancellationToken.None);
        var encodedBefore = embedder.TextsEncoded;

        var entry = await _sandbox.Store.AddStaffAnswerAsync(
            "Can I bring my own yoga mat to my appointments?", "Yes, you're welcome to bring your own mat.", KnowledgeDepartments.FrontDesk, CancellationToken.None);
        await _sandbox.Store.AddPhrasingAsync(entry.Id, "is it ok to use my own exercise mat", CancellationToken.None);
        var after = await recognizer.RecognizeAsync("can i bring my own yoga mat", CancellationToken.None);

        Assert.NotEqual(entry.Id, before.Best?.Id);
        Assert.Equal(entry.Id, after.Best?.Id);
        Assert.True(after.IsConfident, $"confidence {after.Confidence:F2}");
        Assert.Equal(encodedBefore + 1 + 2, embedder.TextsEncoded); // the new question, its phrasing, and the query
    }

    [Fact]
    public async Task Concurrent_queries_get_the_same_answers_as_sequential_ones()
    {
        using var recognizer = _sandbox.CreateRecognizer(fixture.Embedder);
        string[] questions = ["when are you open", "do you take medicare", "where do i park", "how do i reschedule", "do you see kids", "what should i wear", "is there an interpreter", "do you do dry needling"];
        var sequential = new List<(string?, double)>();
        foreach (var q in questions)
        {
            var r = await recognizer.RecognizeAsync(q, CancellationToken.None);
            sequential.Add((r.Best?.Id, r.Confidence));
        }

        var concurrent = await Task.WhenAll(Enumerable.Range(0, 64).Select(i => Task.Run(async () =>
        {
            var r = await recognizer.RecognizeAsync(questions[i % questions.Length], CancellationToken.None);
            return (i, r.Best?.Id, r.Confidence);
        })));

        foreach (var (i, id, confidence) in concurrent)
        {
            Assert.Equal(sequential[i % questions.Length].Item1, id);
            Assert.Equal(sequential[i % questions.Length].Item2, confidence, 4);
        }
    }
}
