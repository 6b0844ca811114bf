using ClinicBot.Bot.Transcripts;
using ClinicBot.Tests.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace ClinicBot.Tests.Handoff;

public sealed class ConversationTranscriptTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 30, 15, 0, 0, TimeSpan.Zero);
    private readonly SqliteTestDatabase _database = new();
    private readonly ConversationTranscriptStore _store;

    public ConversationTranscriptTests()
    {
        _store = new ConversationTranscriptStore(_database.Open(ConversationTranscriptStore.Schema));
    }

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task KeepsBothDirectionsInOrderAndTheLatestWhenLimited()
    {
        await _store.RecordAsync(new TranscriptEntry("c1", TranscriptRole.Patient, "hi", T0), default);
        await _store.RecordAsync(new TranscriptEntry("c1", TranscriptRole.Bot, "Hello! How can I help?", T0.AddSeconds(1)), default);
        await _store.RecordAsync(new TranscriptEntry("c1", TranscriptRole.Staff, "Hi, I'm Maria", T0.AddSeconds(2)), default);
        await _store.RecordAsync(new TranscriptEntry("c2", TranscriptRole.Patient, "other", T0), default);

        Assert.Equal([TranscriptRole.Patient, TranscriptRole.Bot, TranscriptRole.Staff], (await _store.GetAsync("c1", 10, default)).Select(e => e.Role));
        Assert.Equal(["Hello! How can I help?", "Hi, I'm Maria"], (await _store.GetAsync("c1", 2, default)).Select(e => e.Text));
    }

    [Fact]
    public async Task ThePurgeDeletesMessagesOlderThanTheRetention()
    {
        var clock = new FakeTimeProvider(T0);
        await _store.TouchConversationAsync(new TranscriptConversation("old", "test", "p1", "Dana", "{}", T0.AddDays(-100), T0.AddDays(-100)), default);
        await _store.TouchConversationAsync(new TranscriptConversation("new", "test", "p2", "Lee", "{}", T0.AddDays(-1), T0.AddDays(-1)), default);
        await _store.RecordAsync(new TranscriptEntry("old", TranscriptRole.Patient, "ancient", T0.AddDays(-91)), default);
        await _store.RecordAsync(new TranscriptEntry("new", TranscriptRole.Patient, "recent", T0.AddDays(-89)), default);
        using var purge = new TranscriptPurgeService(_store, Options.Create(new TranscriptOptions { RetentionDays = 90 }), clock, NullLogger<TranscriptPurgeService>.Instance);

        Assert.Equal(1, await purge.PurgeOnceAsync(default));

        Assert.Empty(await _store.GetAsync("old", 10, default));
        Assert.Single(await _store.GetAsync("new", 10, default));
        Assert.Null(await _store.GetConversationAsync("old", default));
        Assert.NotNull(await _store.GetConversationAsync("new", default));
    }
}
