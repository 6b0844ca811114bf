using ClinicBot.Bot.Handoff;
using ClinicBot.Bot.Proactive;
using ClinicBot.Bot.Storage.Memory;
using ClinicBot.Dialogs.Clinic;
using ClinicBot.Dialogs.FollowUps;
using ClinicBot.Dialogs.Handoff;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Builder.Adapters;
using Microsoft.Bot.Schema;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace ClinicBot.Tests.Handoff;

public sealed class HandoffTimeoutServiceTests : IDisposable
{
    private static readonly DateTimeOffset MondayTenAm = new(2026, 11, 30, 15, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _clock = new(MondayTenAm);
    private readonly IOptions<HandoffOptions> _options = Options.Create(new HandoffOptions { MaxWaitMinutes = 10 });
    private readonly InMemoryHandoffQueue _queue;
    private readonly InMemoryFollowUpQueue _followUps = new();
    private readonly StaffPresence _presence = new();
    private readonly List<(string Name, HandoffEventValue Value, bool FollowUpExisted)> _told = [];
    private readonly HandoffTimeoutService _service;

    public HandoffTimeoutServiceTests()
    {
        _queue = new InMemoryHandoffQueue(_options);
        var calendar = new ClinicCalendar(Options.Create(new ClinicHoursOptions()), _clock);
        var bot = new RecordingBot(this);
        var notifier = new ConversationNotifier([new TestChannel()], bot, NullLogger<ConversationNotifier>.Instance);
        _service = new HandoffTimeoutService(_queue, _followUps, _presence, calendar, notifier, new NullStaffConsoleNotifier(), _options, _clock, NullLogger<HandoffTimeoutService>.Instance);
    }

    public void Dispose() => _service.Dispose();

    [Fact]
    public async Task AChatWaitingTooLongEscalatesToAnOnlineSupervisor()
    {
        _presence.MarkOnline("c1", "sam", ["*", "supervisor"]);
        await _queue.EnqueueAsync(Waiting("H-1"), default);

        _clock.Advance(TimeSpan.FromMinutes(9));
        Assert.Equal(0, await _service.SweepOnceAsync(default));
        _clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(1, await _service.SweepOnceAsync(default));

        var handoff = (await _queue.GetAsync("H-1", default))!;
        Assert.Equal(HandoffStatus.Waiting, handoff.Status);
        Assert.Equal("supervisor", handoff.Department);
        Assert.True(handoff.Escalated);
        Assert.Equal(_clock.GetUtcNow(), handoff.WaitingSince);
        var told = Assert.Single(_told);
        Assert.Equal(HandoffEvents.Transferred, told.Name);
        Assert.Equal("supervisor", told.Value.Department);
    }

    [Fact]
    public async Task WithNobodyToEscalateToTheChatBecomesAFollowUpBeforeThePatientIsTold()
    {
        await _queue.EnqueueAsync(Waiting("H-1"), default);
        _clock.Advance(TimeSpan.FromMinutes(11));

        Assert.Equal(1, await _service.SweepOnceAsync(default));

        var handoff = (await _queue.GetAsync("H-1", default))!;
        Assert.Equal(HandoffStatus.Ended, handoff.Status);
        Assert.Equal(HandoffTransitions.TimedOutOutcome, handoff.Outcome);
        var followUp = Assert.Single(await _followUps.ListAsync(FollowUpStatus.Open, default));
        Assert.Equal(handoff.FollowUpId, followUp.Id);
        Assert.Equal("I need help with my bill", followUp.Question);
        Assert.Equal("billing", followUp.Department);
        var told = Assert.Single(_told);
        Assert.Equal(HandoffEvents.TimedOut, told.Name);
        Assert.True(told.FollowUpExisted);
        Assert.Equal("tomorrow at 7:00 PM", told.Value.DueBy); // end of the next business day

        // A second sweep finds nothing more to do.
        Assert.Equal(0, await _service.SweepOnceAsync(default));
        Assert.Single(await _followUps.ListAsync(null, default));
    }

    [Fact]
    public async Task AnEscalatedChatThatStillWaitsBecomesAFollowUp()
    {
        _presence.MarkOnline("c1", "sam", ["*", "supervisor"]);
        await _queue.EnqueueAsync(Waiting("H-1"), default);
        _clock.Advance(TimeSpan.FromMinutes(11));
        await _service.SweepOnceAsync(default);
        _clock.Advance(TimeSpan.FromMinutes(11));
        await _service.SweepOnceAsync(default);

        Assert.Equal(HandoffStatus.Ended, (await _queue.GetAsync("H-1", default))!.Status);
        Assert.Equal([HandoffEvents.Transferred, HandoffEvents.TimedOut], _told.Select(t => t.Name));
    }

    [Fact]
    public async Task TheBackgroundServiceSweepsAsTheClockMoves()
    {
        await _queue.EnqueueAsync(Waiting("H-1"), default);
        await _service.StartAsync(default);
        try
        {
            // The service's timer runs on the fake clock: move it on one sweep interval at a time.
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while ((await _queue.GetAsync("H-1", default))!.Status != HandoffStatus.Ended)
            {
                Assert.True(DateTime.UtcNow < deadline, "The service did not time the chat out.");
                _clock.Advance(HandoffTimeoutService.SweepInterval);
                await Task.Delay(20);
            }

            Assert.True(_clock.GetUtcNow() - MondayTenAm >= TimeSpan.FromMinutes(10));
        }
        finally
        {
            await _service.StopAsync(default);
        }

        Assert.Single(await _followUps.ListAsync(FollowUpStatus.Open, default));
    }

    [Fact]
    public async Task ARedFlagAlertIsNeverTimedOutIntoTomorrowsFollowUp()
    {
        var alert = Waiting("H-1");
        await _queue.EnqueueAsync(new HandoffRequest
        {
            Id = alert.Id,
            ConversationId = alert.ConversationId,
            PatientUserId = alert.PatientUserId,
            ChannelId = alert.ChannelId,
            ReplyAddress = alert.ReplyAddress,
            Department = "front-desk",
            Reason = HandoffReason.Safety,
            Priority = HandoffPriority.Urgent,
            CreatedAt = alert.CreatedAt,
        }, default);
        _clock.Advance(TimeSpan.FromHours(3));

        Assert.Equal(0, await _service.SweepOnceAsync(default));

        Assert.Equal(HandoffStatus.Waiting, (await _queue.GetAsync("H-1", default))!.Status);
        Assert.Empty(await _followUps.ListAsync(FollowUpStatus.Open, default));
        Assert.Empty(_told);
    }

    private HandoffRequest Waiting(string id) => new()
    {
        Id = id,
        ConversationId = "conv-" + id,
        PatientUserId = "patient-1",
        PatientName = "Dana",
        ChannelId = "test",
        ReplyAddress = JsonConvert.SerializeObject(new ConversationReference
        {
            ChannelId = "test",
            ServiceUrl = "https://test.invalid/",
            Conversation = new ConversationAccount(id: "conv-" + id),
            User = new ChannelAccount("patient-1"),
            Bot = new ChannelAccount("bot"),
        }),
        Department = "billing",
        Reason = HandoffReason.PatientAsked,
        Request = "I need help with my bill",
        CreatedAt = _clock.GetUtcNow(),
    };

    private sealed class TestChannel : IProactiveChannel
    {
        private readonly TestAdapter _adapter = new();

        public bool CanReach(ConversationReference reference) => true;

        public Task ContinueConversationAsync(ConversationReference reference, BotCallbackHandler callback, CancellationToken cancellationToken) =>
            _adapter.ContinueConversationAsync("bot", reference, callback, cancellationToken);
    }

    private sealed class RecordingBot(HandoffTimeoutServiceTests owner) : IBot
    {
        public async Task OnTurnAsync(ITurnContext turnContext, CancellationToken cancellationToken = default)
        {
            var value = ((JObject)turnContext.Activity.Value).ToObject<HandoffEventValue>()!;
            var followUpExisted = value.HandoffId is { } id && (await owner._followUps.GetAsync("F-" + id, cancellationToken)) is not null;
            lock (owner._told)
            {
                owner._told.Add((turnContext.Activity.Name, value, followUpExisted));
            }
        }
    }
}
