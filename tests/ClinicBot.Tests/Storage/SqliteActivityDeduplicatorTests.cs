using ClinicBot.Bot.Storage.Sqlite;
using Microsoft.Extensions.Time.Testing;

namespace ClinicBot.Tests.Storage;

public sealed class SqliteActivityDeduplicatorTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 30, 15, 0, 0, TimeSpan.Zero);
    private readonly SqliteTestDatabase _files = new();
    private readonly FakeTimeProvider _clock = new(T0);

    public void Dispose() => _files.Dispose();

    [Fact]
    public async Task ACompletedDeliveryIsADuplicateWithItsResultAlsoAfterARestart()
    {
        var deliveries = Open();
        Assert.True((await deliveries.ClaimAsync("webchat|c1|a1", default)).IsFirst);
        await deliveries.CompleteAsync("webchat|c1|a1", "id-7", default);

        var again = await deliveries.ClaimAsync("webchat|c1|a1", default);
        var afterRestart = await Open().ClaimAsync("webchat|c1|a1", default);

        Assert.Equal((false, "id-7"), (again.IsFirst, again.Result));
        Assert.Equal((false, "id-7"), (afterRestart.IsFirst, afterRestart.Result));
        Assert.True((await deliveries.ClaimAsync("webchat|c1|a2", default)).IsFirst);
    }

    [Fact]
    public async Task ADeliveryCompletedWithoutAResultIsStillADuplicate()
    {
        var deliveries = Open();
        await deliveries.ClaimAsync("msteams|c1|a1", default);
        await deliveries.CompleteAsync("msteams|c1|a1", null, default);

        var again = await Open().ClaimAsync("msteams|c1|a1", default);

        Assert.Equal((false, null), (again.IsFirst, again.Result));
    }

    [Fact]
    public async Task ADeliveryInFlightIsADuplicateUntilReleasedThenItCanRunAgain()
    {
        var deliveries = Open();
        Assert.True((await deliveries.ClaimAsync("webchat|c1|a1", default)).IsFirst);

        Assert.False((await deliveries.ClaimAsync("webchat|c1|a1", default)).IsFirst);

        await deliveries.ReleaseAsync("webchat|c1|a1", default);
        Assert.True((await deliveries.ClaimAsync("webchat|c1|a1", default)).IsFirst);
    }

    [Fact]
    public async Task ATurnThatNeverCompletedBecauseTheProcessDiedRunsAgainAfterTheRestart()
    {
        Assert.True((await Open().ClaimAsync("webchat|c1|a1", default)).IsFirst);

        Assert.True((await Open().ClaimAsync("webchat|c1|a1", default)).IsFirst);
    }

    [Fact]
    public async Task ClaimingDoesNotWaitForTheDatabaseWriter()
    {
        var database = _files.Open(SqliteActivityDeduplicator.Schema);
        var deliveries = new SqliteActivityDeduplicator(database, _clock);
        await database.InitializeAsync(default);
        using var writerHeld = new ManualResetEventSlim();
        var holding = database.WriteAsync(_ => writerHeld.Wait(TimeSpan.FromSeconds(30)), default);

        var claim = await deliveries.ClaimAsync("webchat|c1|a1", default).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.True(claim.IsFirst);
        var completion = deliveries.CompleteAsync("webchat|c1|a1", null, default);
        await Task.Delay(50);
        Assert.False(completion.IsCompleted, "a completion counts only once it is committed");
        writerHeld.Set();
        await holding;
        await completion.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False((await Open().ClaimAsync("webchat|c1|a1", default)).IsFirst);
    }

    [Fact]
    public async Task ThePurgeForgetsRecordsOlderThanTheCutoff()
    {
        var deliveries = Open();
        await deliveries.ClaimAsync("webchat|c1|old", default);
        await deliveries.CompleteAsync("webchat|c1|old", null, default);
        _clock.Advance(TimeSpan.FromHours(49));
        await deliveries.ClaimAsync("webchat|c1|new", default);
        await deliveries.CompleteAsync("webchat|c1|new", null, default);

        Assert.Equal(1, await deliveries.PurgeAsync(_clock.GetUtcNow().AddHours(-48), default));

        Assert.True((await deliveries.ClaimAsync("webchat|c1|old", default)).IsFirst);
        Assert.False((await deliveries.ClaimAsync("webchat|c1|new", default)).IsFirst);
    }

    private SqliteActivityDeduplicator Open() => new(_files.Open(SqliteActivityDeduplicator.Schema), _clock);
}
