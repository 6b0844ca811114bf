using ClinicBot.Bot.Storage.Cosmos;
using ClinicBot.Bot.Storage.Memory;
using ClinicBot.Bot.Storage.Sqlite;
using ClinicBot.Dialogs.FollowUps;

namespace ClinicBot.Tests.Storage;

/// <summary>
/// The <see cref="IFollowUpQueue"/> contract: every implementation gets a derived class that supplies
/// <see cref="Queue"/>. Ids are unique per test, so a queue may be shared between tests, but listing is checked only
/// for this test's follow-ups.
/// </summary>
public abstract class FollowUpQueueContractTests
{
    private static readonly DateTimeOffset Base = new(2030, 3, 4, 9, 0, 0, TimeSpan.Zero);
    private readonly string _prefix = $"FU-{Guid.NewGuid():N}"[..14] + "-";

    protected abstract IFollowUpQueue Queue { get; }

    [Fact]
    public async Task AddedFollowUpsCanBeReadBackWithEveryField()
    {
        var followUp = New("a", askedMinutes: 5);
        followUp.ContactEmail = "patient@example.org";

        await Queue.AddAsync(followUp, CancellationToken.None);
        var read = await Queue.GetAsync(followUp.Id, CancellationToken.None);

        Assert.NotNull(read);
        Assert.Equal(followUp.Id, read.Id);
        Assert.Equal(followUp.PatientUserId, read.PatientUserId);
        Assert.Equal(followUp.PatientName, read.PatientName);
        Assert.Equal(followUp.ChannelId, read.ChannelId);
        Assert.Equal(followUp.ReplyAddress, read.ReplyAddress);
        Assert.Equal(followUp.Question, read.Question);
        Assert.Equal(followUp.OriginalText, read.OriginalText);
        Assert.Equal(followUp.Department, read.Department);
        Assert.Equal(followUp.AskedAt, read.AskedAt);
        Assert.Equal(followUp.DueBy, read.DueBy);
        Assert.Equal("patient@example.org", read.ContactEmail);
        Assert.Equal(FollowUpStatus.Open, read.Status);
        Assert.Null(read.Answer);
    }

    [Fact]
    public async Task AMissingFollowUpReadsAsNull()
    {
        Assert.Null(await Queue.GetAsync(_prefix + "missing", CancellationToken.None));
    }

    [Fact]
    public async Task AddingTheSameIdTwiceFails()
    {
        await Queue.AddAsync(New("dup"), CancellationToken.None);

        await Assert.ThrowsAnyAsync<Exception>(() => Queue.AddAsync(New("dup"), CancellationToken.None));
    }

    [Fact]
    public async Task ListingByStatusReturnsOldestFirst()
    {
        await Queue.AddAsync(New("late", askedMinutes: 30), CancellationToken.None);
        await Queue.AddAsync(New("early", askedMinutes: 10), CancellationToken.None);
        await Queue.AddAsync(New("answered", askedMinutes: 20), CancellationToken.None);
        await Queue.AddAsync(New("tie-b", askedMinutes: 15), CancellationToken.None);
        await Queue.AddAsync(New("tie-a", askedMinutes: 15), CancellationToken.None);
        Assert.True(await Queue.RecordAnswerAsync(Id("answered"), "Yes.", "staff-1", FollowUpStatus.Answered, Base.AddHours(1), CancellationToken.None));

        var open = Mine(await Queue.ListAsync(FollowUpStatus.Open, CancellationToken.None));
        var answered = Mine(await Queue.ListAsync(FollowUpStatus.Answered, CancellationToken.None));
        var all = Mine(await Queue.ListAsync(null, CancellationToken.None));

        Assert.Equal([Id("early"), Id("tie-a"), Id("tie-b"), Id("late")], open);
        Assert.Equal([Id("answered")], answered);
        Assert.Equal([Id("early"), Id("tie-a"), Id("tie-b"), Id("answered"), Id("late")], all);
    }

    [Fact]
    public async Task SetContactKeepsWhatIsNotGiven()
    {
        await Queue.AddAsync(New("contact"), CancellationToken.None);

        await Queue.SetContactAsync(Id("contact"), "a@example.org", null, CancellationToken.None);
        await Queue.SetContactAsync(Id("contact"), null, "(555) 010-0000", CancellationToken.None);

        var read = await Queue.GetAsync(Id("contact"), CancellationToken.None);
        Assert.Equal(("a@example.org", "(555) 010-0000"), (read!.ContactEmail, read.ContactPhone));
    }

    [Fact]
    public async Task AnAnswerIsRecordedOnce()
    {
        await Queue.AddAsync(New("once"), CancellationToken.None);

        Assert.True(await Queue.RecordAnswerAsync(Id("once"), "First.", "staff-1", FollowUpStatus.Answered, Base.AddHours(1), CancellationToken.None));
        Assert.False(await Queue.RecordAnswerAsync(Id("once"), "Second.", "staff-2", FollowUpStatus.Answered, Base.AddHours(2), CancellationToken.None));

        var read = await Queue.GetAsync(Id("once"), CancellationToken.None);
        Assert.Equal(("First.", "staff-1", FollowUpStatus.Answered), (read!.Answer, read.AnsweredBy, read.Status));
        Assert.Equal(Base.AddHours(1), read.AnsweredAt);
    }

    [Fact]
    public async Task AnsweringAMissingFollowUpReturnsFalse()
    {
        Assert.False(await Queue.RecordAnswerAsync(Id("nobody"), "x", "staff", FollowUpStatus.Answered, Base, CancellationToken.None));
    }

    [Fact]
    public async Task OfTenConcurrentAnswersExactlyOneWins()
    {
        await Queue.AddAsync(New("race"), CancellationToken.None);
        using var start = new ManualResetEventSlim();

        var attempts = Enumerable.Range(0, 10).Select(i => Task.Run(async () =>
        {
            start.Wait();
            return (Staff: $"staff-{i}", Won: await Queue.RecordAnswerAsync(Id("race"), $"Answer {i}.", $"staff-{i}", FollowUpStatus.Answered, Base.AddMinutes(i), CancellationToken.None));
        })).ToList();
        start.Set();
        var outcomes = await Task.WhenAll(attempts);

        var winner = Assert.Single(outcomes, o => o.Won);
        var read = await Queue.GetAsync(Id("race"), CancellationToken.None);
        Assert.Equal(winner.Staff, read!.AnsweredBy);
        Assert.Equal(FollowUpStatus.Answered, read.Status);
    }

    [Fact]
    public async Task AnUndeliverableAnswerNeedsACallback()
    {
        await Queue.AddAsync(New("callback"), CancellationToken.None);
        Assert.True(await Queue.RecordAnswerAsync(Id("callback"), "Call me.", "staff-1", FollowUpStatus.Answered, Base, CancellationToken.None));

        await Queue.MarkNeedsCallbackAsync(Id("callback"), CancellationToken.None);

        var read = await Queue.GetAsync(Id("callback"), CancellationToken.None);
        Assert.Equal(FollowUpStatus.NeedsCallback, read!.Status);
        Assert.Equal("Call me.", read.Answer);
        Assert.Contains(Id("callback"), Mine(await Queue.ListAsync(FollowUpStatus.NeedsCallback, CancellationToken.None)));
        Assert.False(await Queue.RecordAnswerAsync(Id("callback"), "Again.", "staff-2", FollowUpStatus.Answered, Base, CancellationToken.None));
    }

    private string Id(string name) => _prefix + name;

    private List<string> Mine(IReadOnlyList<FollowUp> list) =>
        list.Where(f => f.Id.StartsWith(_prefix, StringComparison.Ordinal)).Select(f => f.Id).ToList();

    private FollowUp New(string name, int askedMinutes = 0) => new()
    {
        Id = Id(name),
        PatientUserId = "user-1",
        PatientName = "Test Patient",
        ChannelId = "test",
        ReplyAddress = "{\"conversation\":{\"id\":\"c1\"}}",
        Question = "Can I bring my own scrubs?",
        OriginalText = "can i bring my own scrubs",
        Department = "front-desk",
        AskedAt = Base.AddMinutes(askedMinutes),
        DueBy = Base.AddMinutes(askedMinutes).AddHours(4),
    };
}

public sealed class InMemoryFollowUpQueueContractTests : FollowUpQueueContractTests
{
    protected override IFollowUpQueue Queue { get; } = new InMemoryFollowUpQueue();
}

public sealed class SqliteFollowUpQueueContractTests : FollowUpQueueContractTests, IDisposable
{
    private readonly SqliteTestDatabase _files = new();

    public SqliteFollowUpQueueContractTests()
    {
        Queue = new SqliteFollowUpQueue(_files.Open(SqliteFollowUpQueue.Schema));
    }

    protected override IFollowUpQueue Queue { get; }

    public void Dispose() => _files.Dispose();
}

[Collection(CosmosServerCollection.Name)]
public sealed class CosmosFollowUpQueueContractTests(CosmosServerFixture server) : FollowUpQueueContractTests
{
    protected override IFollowUpQueue Queue => new CosmosFollowUpQueue(server.SharedContainers("follow-up-contract"));
}
