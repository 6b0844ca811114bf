using ClinicBot.Bot.Storage.Cosmos;
using ClinicBot.Bot.Storage.Memory;
using ClinicBot.Bot.Storage.Sqlite;
using ClinicBot.Dialogs.Handoff;
using ClinicBot.Tests.Storage;
using Microsoft.Extensions.Options;

namespace ClinicBot.Tests.Handoff;

/// <summary>What every <see cref="IHandoffQueue"/> store must do; run against SQLite, memory and Cosmos DB (local server).</summary>
public abstract class HandoffQueueContractTests : IDisposable
{
    protected static readonly DateTimeOffset T0 = new(2026, 11, 30, 15, 0, 0, TimeSpan.Zero);

    protected HandoffQueueContractTests()
    {
        Options = Microsoft.Extensions.Options.Options.Create(new HandoffOptions { DefaultMinutesPerChat = 4, WaitEstimateSampleSize = 5 });
    }

    protected IOptions<HandoffOptions> Options { get; }

    protected abstract IHandoffQueue Queue { get; }

    public virtual void Dispose() => GC.SuppressFinalize(this);

    public static HandoffRequest Request(string id, string department = "front-desk", HandoffPriority priority = HandoffPriority.Normal, DateTimeOffset? at = null, string? conversationId = null) => new()
    {
        Id = id,
        ConversationId = conversationId ?? "conv-" + id,
        PatientUserId = "patient-" + id,
        PatientName = "Dana",
        ChannelId = "test",
        ReplyAddress = "{}",
        Department = department,
        Reason = HandoffReason.PatientAsked,
        Request = "I'd like to talk to a person",
        Priority = priority,
        CreatedAt = at ?? T0,
    };

    [Fact]
    public async Task EnqueueIsReadBackWithEveryField()
    {
        var request = Request("H-1");
        request.Context["appointment"] = "tomorrow 10:00";
        request.Sentiment = "angry";
        var placement = await Queue.EnqueueAsync(request, default);

        Assert.Equal(1, placement.Position);
        Assert.Equal(TimeSpan.FromMinutes(4), placement.EstimatedWait);
        var stored = await Queue.GetAsync("H-1", default);
        Assert.NotNull(stored);
        Assert.Equal(HandoffStatus.Waiting, stored.Status);
        Assert.Equal("tomorrow 10:00", stored.Context["appointment"]);
        Assert.Equal("angry", stored.Sentiment);
        Assert.Equal(T0, stored.WaitingSince);
        Assert.Null(await Queue.GetAsync("H-nope", default));
    }

    [Fact]
    public async Task QueueOrderIsUrgentThenEscalatedThenHighThenNormalThenLongestWait()
    {
        await Queue.EnqueueAsync(Request("normal-old", at: T0), default);
        await Queue.EnqueueAsync(Request("normal-new", at: T0.AddMinutes(2)), default);
        await Queue.EnqueueAsync(Request("high", priority: HandoffPriority.High, at: T0.AddMinutes(3)), default);
        await Queue.EnqueueAsync(Request("urgent", priority: HandoffPriority.Urgent, at: T0.AddMinutes(4)), default);
        await Queue.EnqueueAsync(Request("escalated", department: "billing", at: T0.AddMinutes(1)), default);
        await Queue.EscalateAsync("escalated", "front-desk", "angry patient", T0.AddMinutes(5), default);
        var placement = await Queue.EnqueueAsync(Request("normal-newest", at: T0.AddMinutes(6)), default);

        var order = (await Queue.ListOpenAsync("front-desk", default)).Select(h => h.Id).ToArray();
        Assert.Equal(["urgent", "escalated", "high", "normal-old", "normal-new", "normal-newest"], order);
        Assert.Equal(6, placement.Position);
        Assert.Equal(TimeSpan.FromMinutes(24), placement.EstimatedWait);
    }

    [Fact]
    public async Task ListOpenShowsWaitingBeforeActiveAndLeavesOutEnded()
    {
        await Queue.EnqueueAsync(Request("a"), default);
        await Queue.EnqueueAsync(Request("b", at: T0.AddMinutes(1)), default);
        await Queue.EnqueueAsync(Request("c", at: T0.AddMinutes(2)), default);
        await Queue.EnqueueAsync(Request("other", department: "billing"), default);
        await Queue.AcceptAsync("a", "staff-1", "Maria", T0.AddMinutes(3), default);
        await Queue.EndAsync("c", "spam", T0.AddMinutes(3), default);

        Assert.Equal(["b", "a"], (await Queue.ListOpenAsync("front-desk", default)).Select(h => h.Id));
        Assert.Equal(4 - 1, (await Queue.ListOpenAsync(null, default)).Count);
    }

    [Fact]
    public async Task AcceptRecordsWhoAndWhenAndASecondAcceptConflicts()
    {
        await Queue.EnqueueAsync(Request("H-1"), default);
        var first = await Queue.AcceptAsync("H-1", "staff-1", "Maria", T0.AddMinutes(2), default);
        var second = await Queue.AcceptAsync("H-1", "staff-2", "Sam", T0.AddMinutes(3), default);

        Assert.True(first.Succeeded);
        Assert.Equal(HandoffChangeOutcome.Conflict, second.Outcome);
        var stored = (await Queue.GetAsync("H-1", default))!;
        Assert.Equal(HandoffStatus.Active, stored.Status);
        Assert.Equal("staff-1", stored.AcceptedBy);
        Assert.Equal("Maria", stored.AcceptedByName);
        Assert.Equal(T0.AddMinutes(2), stored.AcceptedAt);
        Assert.Equal(HandoffChangeOutcome.NotFound, (await Queue.AcceptAsync("missing", "staff-1", "Maria", T0, default)).Outcome);
    }

    [Fact]
    public async Task TwentyConcurrentAcceptsHaveExactlyOneWinner()
    {
        await Queue.EnqueueAsync(Request("H-race"), default);
        using var start = new ManualResetEventSlim();
        var attempts = Enumerable.Range(0, 20).Select(i => Task.Run(async () =>
        {
            start.Wait();
            return (Staff: $"staff-{i}", Result: await Queue.AcceptAsync("H-race", $"staff-{i}", $"Agent {i}", T0.AddMinutes(1), default));
        })).ToArray();
        start.Set();
        var results = await Task.WhenAll(attempts);

        var winner = Assert.Single(results, r => r.Result.Succeeded);
        Assert.All(results.Where(r => !r.Result.Succeeded), r => Assert.Equal(HandoffChangeOutcome.Conflict, r.Result.Outcome));
        Assert.Equal(winner.Staff, (await Queue.GetAsync("H-race", default))!.AcceptedBy);
    }

    [Fact]
    public async Task EndRecordsTheOutcomeOnce()
    {
        await Queue.EnqueueAsync(Request("H-1"), default);
        await Queue.AcceptAsync("H-1", "staff-1", "Maria", T0.AddMinutes(1), default);
        Assert.True((await Queue.EndAsync("H-1", "resolved", T0.AddMinutes(9), default)).Succeeded);
        Assert.Equal(HandoffChangeOutcome.Conflict, (await Queue.EndAsync("H-1", "again", T0.AddMinutes(10), default)).Outcome);
        Assert.Equal(HandoffChangeOutcome.Conflict, (await Queue.AcceptAsync("H-1", "staff-2", "Sam", T0.AddMinutes(10), default)).Outcome);

        var stored = (await Queue.GetAsync("H-1", default))!;
        Assert.Equal(HandoffStatus.Ended, stored.Status);
        Assert.Equal("resolved", stored.Outcome);
        Assert.Equal(T0.AddMinutes(9), stored.EndedAt);
    }

    [Fact]
    public async Task MarkUrgentPutsAWaitingChatAheadOfEveryOtherWithTheRedFlagAndNeverReopensAnEndedOne()
    {
        await Queue.EnqueueAsync(Request("high", priority: HandoffPriority.High, at: T0), default);
        await Queue.EnqueueAsync(Request("normal", at: T0.AddMinutes(5)), default);

        var change = await Queue.MarkUrgentAsync("normal", "Crisis", default);

        Assert.True(change.Succeeded);
        Assert.Equal(["normal", "high"], (await Queue.ListOpenAsync("front-desk", default)).Select(r => r.Id));
        var stored = (await Queue.GetAsync("normal", default))!;
        Assert.Equal(HandoffPriority.Urgent, stored.Priority);
        Assert.Equal("Crisis", stored.Context["redFlag"]);
        Assert.Equal(HandoffStatus.Waiting, stored.Status);

        await Queue.AcceptAsync("high", "staff-1", "Maria", T0.AddMinutes(6), default);
        Assert.True((await Queue.MarkUrgentAsync("high", "Emergency", default)).Succeeded);
        Assert.Equal(HandoffStatus.Active, (await Queue.GetAsync("high", default))!.Status);

        await Queue.EndAsync("high", "resolved", T0.AddMinutes(9), default);
        Assert.Equal(HandoffChangeOutcome.Conflict, (await Queue.MarkUrgentAsync("high", "Emergency", default)).Outcome);
        Assert.Equal(HandoffChangeOutcome.NotFound, (await Queue.MarkUrgentAsync("missing", "Emergency", default)).Outcome);
    }

    [Fact]
    public async Task TransferPutsAnActiveChatBackToWaitingInTheNewQueueWithTheNote()
    {
        await Queue.EnqueueAsync(Request("H-1", department: "billing"), default);
        await Queue.AcceptAsync("H-1", "staff-1", "Maria", T0.AddMinutes(1), default);
        var change = await Queue.TransferAsync("H-1", "orthopedics", "asks about rehab after knee replacement", T0.AddMinutes(4), default);

        Assert.True(change.Succeeded);
        var stored = (await Queue.GetAsync("H-1", default))!;
        Assert.Equal(HandoffStatus.Waiting, stored.Status);
        Assert.Equal("orthopedics", stored.Department);
        Assert.Null(stored.AcceptedBy);
        Assert.Equal("asks about rehab after knee replacement", stored.TransferNote);
        Assert.Equal(T0.AddMinutes(4), stored.WaitingSince);
        Assert.Empty(await Queue.ListOpenAsync("billing", default));
        Assert.Equal("H-1", Assert.Single(await Queue.ListOpenAsync("orthopedics", default)).Id);
        Assert.True((await Queue.AcceptAsync("H-1", "staff-2", "Sam", T0.AddMinutes(5), default)).Succeeded);
    }

    [Fact]
    public async Task EscalateMovesTheChatToTheSupervisorQueueAheadOfNormalChats()
    {
        await Queue.EnqueueAsync(Request("waiting-supervisor", department: "supervisor", at: T0), default);
        await Queue.EnqueueAsync(Request("H-1", department: "billing", at: T0.AddMinutes(1)), default);
        var change = await Queue.EscalateAsync("H-1", "supervisor", "patient wants a manager", T0.AddMinutes(3), default);

        Assert.True(change.Succeeded);
        Assert.True(change.Request!.Escalated);
        Assert.Equal(["H-1", "waiting-supervisor"], (await Queue.ListOpenAsync("supervisor", default)).Select(h => h.Id));
    }

    [Fact]
    public async Task TimeOutEndsAWaitingChatAndLinksTheFollowUp()
    {
        await Queue.EnqueueAsync(Request("old", at: T0), default);
        await Queue.EnqueueAsync(Request("new", at: T0.AddMinutes(8)), default);
        await Queue.EnqueueAsync(Request("taken", at: T0), default);
        await Queue.AcceptAsync("taken", "staff-1", "Maria", T0.AddMinutes(1), default);

        Assert.Equal(["old"], (await Queue.ListWaitingSinceAsync(T0.AddMinutes(5), default)).Select(h => h.Id));
        Assert.True((await Queue.TimeOutAsync("old", "F-old", T0.AddMinutes(10), default)).Succeeded);
        Assert.Equal(HandoffChangeOutcome.Conflict, (await Queue.TimeOutAsync("taken", "F-taken", T0.AddMinutes(10), default)).Outcome);
        var stored = (await Queue.GetAsync("old", default))!;
        Assert.Equal(HandoffStatus.Ended, stored.Status);
        Assert.Equal(HandoffTransitions.TimedOutOutcome, stored.Outcome);
        Assert.Equal("F-old", stored.FollowUpId);
    }

    [Fact]
    public async Task MessagesKeepOrderAuthorsAndTheInternalFlag()
    {
        await Queue.EnqueueAsync(Request("H-1"), default);
        await Queue.AppendMessageAsync(new HandoffMessage("H-1", HandoffMessageSender.Patient, "hello? <script>alert(1)</script>", T0), default);
        await Queue.AppendMessageAsync(new HandoffMessage("H-1", HandoffMessageSender.Staff, "Hi, I'm Maria", T0.AddSeconds(5), "staff-1", "Maria"), default);
        await Queue.AppendMessageAsync(new HandoffMessage("H-1", HandoffMessageSender.Staff, "VIP patient", T0.AddSeconds(6), "staff-1", "Maria", Internal: true), default);
        await Queue.AppendMessageAsync(new HandoffMessage("H-2", HandoffMessageSender.Patient, "other chat", T0), default);

        var messages = await Queue.GetMessagesAsync("H-1", default);
        Assert.Equal(["hello? <script>alert(1)</script>", "Hi, I'm Maria", "VIP patient"], messages.Select(m => m.Text));
        Assert.Equal([HandoffMessageSender.Patient, HandoffMessageSender.Staff, HandoffMessageSender.Staff], messages.Select(m => m.Sender));
        Assert.Equal([false, false, true], messages.Select(m => m.Internal));
        Assert.Equal("Maria", messages[1].AuthorName);
        Assert.True(messages[0].Sequence < messages[1].Sequence && messages[1].Sequence < messages[2].Sequence);
        Assert.Equal(T0.AddSeconds(5), messages[1].SentAt);
    }

    [Fact]
    public async Task WaitEstimateIsTheMedianTimeToAcceptOfRecentChatsTimesPosition()
    {
        Assert.Equal(TimeSpan.FromMinutes(8), await Queue.EstimateWaitAsync("billing", 2, default));

        // Times to accept: 1, 2, 3, 10 and 30 minutes (median 3); another department's history does not count.
        var minutes = new[] { 1, 2, 3, 10, 30 };
        for (var i = 0; i < minutes.Length; i++)
        {
            var created = T0.AddHours(i);
            await Queue.EnqueueAsync(Request($"B-{i}", department: "billing", at: created), default);
            await Queue.AcceptAsync($"B-{i}", "staff-1", "Maria", created.AddMinutes(minutes[i]), default);
        }

        await Queue.EnqueueAsync(Request("F-1", at: T0), default);
        await Queue.AcceptAsync("F-1", "staff-1", "Maria", T0.AddMinutes(50), default);

        Assert.Equal(TimeSpan.FromMinutes(3), await Queue.EstimateWaitAsync("billing", 1, default));
        Assert.Equal(TimeSpan.FromMinutes(9), await Queue.EstimateWaitAsync("billing", 3, default));
        var placement = await Queue.EnqueueAsync(Request("B-new", department: "billing", at: T0.AddHours(6)), default);
        Assert.Equal(new HandoffPlacement(1, TimeSpan.FromMinutes(3)), placement);

        // Only the last N (5 here) accepted chats count: a sixth, slow one pushes the 1-minute one out.
        await Queue.AcceptAsync("B-new", "staff-1", "Maria", T0.AddHours(6).AddMinutes(40), default);
        Assert.Equal(TimeSpan.FromMinutes(10), await Queue.EstimateWaitAsync("billing", 1, default));
    }

    [Fact]
    public async Task ListByConversationFindsEveryHandoffOfTheConversation()
    {
        await Queue.EnqueueAsync(Request("H-1", conversationId: "conv-x", at: T0), default);
        await Queue.EnqueueAsync(Request("H-2", conversationId: "conv-x", at: T0.AddMinutes(5)), default);
        await Queue.EnqueueAsync(Request("H-3", conversationId: "conv-y"), default);
        Assert.Equal(["H-2", "H-1"], (await Queue.ListByConversationAsync("conv-x", default)).Select(h => h.Id));
    }
}

public sealed class InMemoryHandoffQueueContractTests : HandoffQueueContractTests
{
    public InMemoryHandoffQueueContractTests()
    {
        Queue = new InMemoryHandoffQueue(Options);
    }

    protected override IHandoffQueue Queue { get; }
}

public sealed class SqliteHandoffQueueContractTests : HandoffQueueContractTests
{
    private readonly SqliteTestDatabase _database = new();

    public SqliteHandoffQueueContractTests()
    {
        Queue = new SqliteHandoffQueue(_database.Open(SqliteHandoffQueue.Schema, SqliteHandoffQueue.MessagesSchema, SqliteHandoffQueue.EngineSchema), Options);
    }

    protected override IHandoffQueue Queue { get; }

    public override void Dispose()
    {
        _database.Dispose();
        base.Dispose();
    }

    [Fact]
    public async Task RestartLosesNothing()
    {
        await Queue.EnqueueAsync(Request("H-1"), default);
        await Queue.AcceptAsync("H-1", "staff-1", "Maria", T0.AddMinutes(1), default);
        await Queue.AppendMessageAsync(new HandoffMessage("H-1", HandoffMessageSender.Patient, "still there?", T0.AddMinutes(2)), default);

        var reopened = new SqliteHandoffQueue(_database.Open(SqliteHandoffQueue.Schema, SqliteHandoffQueue.MessagesSchema, SqliteHandoffQueue.EngineSchema), Options);
        Assert.Equal(HandoffStatus.Active, (await reopened.GetAsync("H-1", default))!.Status);
        Assert.Equal("still there?", Assert.Single(await reopened.GetMessagesAsync("H-1", default)).Text);
    }
}

/// <summary>The contract on the local Cosmos DB-compatible server: a fresh database per test (the tests reuse ids).</summary>
[Collection(CosmosServerCollection.Name)]
public sealed class CosmosHandoffQueueContractTests : HandoffQueueContractTests
{
    private readonly CosmosContainers _containers;

    public CosmosHandoffQueueContractTests(CosmosServerFixture server)
    {
        ArgumentNullException.ThrowIfNull(server);
        _containers = server.CreateContainers();
        Queue = new CosmosHandoffQueue(_containers, Options);
    }

    protected override IHandoffQueue Queue { get; }

    [Fact]
    public async Task TwoInstancesAcceptingAtOnceHaveExactlyOneWinner()
    {
        // Two queues over one database, as two app instances would be.
        await Queue.EnqueueAsync(Request("H-two"), default);
        var other = new CosmosHandoffQueue(_containers, Options);
        var results = await Task.WhenAll(
            Enumerable.Range(0, 10).Select(i => (i % 2 == 0 ? Queue : other).AcceptAsync("H-two", $"staff-{i}", $"Agent {i}", T0.AddMinutes(1), default)));
        Assert.Single(results, r => r.Succeeded);
    }
}
