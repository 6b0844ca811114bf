using ClinicBot.Bot.Messenger;
using ClinicBot.Bot.Storage.Memory;
using ClinicBot.Bot.Storage.Sqlite;
using ClinicBot.Dialogs.Cases;
using ClinicBot.Dialogs.Conversation;
using ClinicBot.Dialogs.Handoff;
using ClinicBot.Dialogs.Middleware;
using ClinicBot.Tests.Storage;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Schema;
using Newtonsoft.Json.Linq;

namespace ClinicBot.Tests.Messenger;

public sealed class MessageSplitterTests
{
    [Fact]
    public void ShortTextIsOnePart() => Assert.Equal(["Hello there."], MessageSplitter.Split("Hello there.", 2000));

    [Fact]
    public void PrefersParagraphsThenSentencesThenWords()
    {
        var paragraphs = MessageSplitter.Split("First paragraph here.\n\nSecond one is here.", 30);
        Assert.Equal(["First paragraph here.", "Second one is here."], paragraphs);

        var sentences = MessageSplitter.Split("One sentence here. Another sentence follows here.", 30);
        Assert.Equal(["One sentence here.", "Another sentence follows here."], sentences);

        var words = MessageSplitter.Split("alpha beta gamma delta epsilon zeta eta theta", 20);
        Assert.All(words, w => Assert.True(w.Length <= 20));
        Assert.Equal("alpha beta gamma delta epsilon zeta eta theta", string.Join(' ', words));
        Assert.DoesNotContain(words, w => w.StartsWith(' ') || w.EndsWith(' '));
    }

    [Fact]
    public void AnUnbrokenRunIsCutAtTheLimitWithoutSplittingASurrogatePair()
    {
        var emoji = "\U0001F600";
        var text = new string('a', 9) + emoji + new string('b', 5);
        var parts = MessageSplitter.Split(text, 10);
        Assert.Equal(text, string.Concat(parts));
        Assert.All(parts, p => Assert.False(char.IsHighSurrogate(p[^1])));
        Assert.All(parts, p => Assert.True(p.Length <= 10));
    }

    [Fact]
    public void NoPartExceedsTheLimitAndNoTextIsLost()
    {
        var random = new Random(7);
        var words = new[] { "knee", "shoulder.", "therapy,", "session!", "appointment?", "we", "a", "Riverside\n\n" };
        var text = string.Join(' ', Enumerable.Range(0, 2000).Select(_ => words[random.Next(words.Length)]));
        var parts = MessageSplitter.Split(text, 2000);
        Assert.All(parts, p => Assert.InRange(p.Length, 1, 2000));
        Assert.Equal(Squash(text), Squash(string.Join(' ', parts)));
    }

    private static string Squash(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}

public sealed class MessengerLengthLimitTests
{
    [Theory]
    [InlineData("facebook", 3)]
    [InlineData("messenger", 3)]
    [InlineData("webchat", 1)]
    public async Task SplitsOnlyOnMessengerChannelsAndKeepsQuickRepliesOnTheLastPart(string channelId, int expectedMessages)
    {
        var adapter = new Microsoft.Bot.Builder.Adapters.TestAdapter(Microsoft.Bot.Builder.Adapters.TestAdapter.CreateConversation("c1", "u1", "bot"));
        adapter.Conversation.ChannelId = channelId;
        adapter.Use(new MessengerLengthLimit());
        var text = string.Join("\n\n", Enumerable.Range(1, 3).Select(i => new string((char)('a' + i), 1500)));

        await adapter.SendTextToBotAsync("hi", (turn, ct) => turn.SendActivityAsync(QuickReplies.Message(text, ["Yes", "No"]), ct), default);

        var sent = new List<IActivity>();
        while (adapter.GetNextReply() is { } reply)
        {
            sent.Add(reply);
        }

        Assert.Equal(expectedMessages, sent.Count);
        Assert.All(sent.SkipLast(1), a => Assert.Null(((Activity)a).SuggestedActions));
        Assert.Equal(["Yes", "No"], ((Activity)sent[^1]).SuggestedActions.Actions.Select(a => a.Title));
        Assert.Equal(text, string.Join("\n\n", sent.Select(a => ((Activity)a).Text)));
    }
}

public sealed class OutgoingSenderTests
{
    [Fact]
    public void MarksAndRecognisesStaffMessagesKeepingOtherChannelData()
    {
        var message = (Activity)MessageFactory.Text("Hello from Priya");
        message.ChannelData = new JObject { ["other"] = 1 };
        Assert.False(OutgoingSender.IsStaff(message));

        OutgoingSender.MarkAsStaff(message);

        Assert.True(OutgoingSender.IsStaff(message));
        Assert.Equal(1, ((JObject)message.ChannelData)["other"]!.Value<int>());
        Assert.Equal("staff", ((JObject)message.ChannelData)["clinicbot"]!["sender"]!.Value<string>());
    }

    [Fact]
    public void ReadsTheMarkFromAnyChannelDataShape()
    {
        Assert.True(OutgoingSender.IsStaff(new Activity { ChannelData = new { clinicbot = new { sender = "staff" } } }));
        Assert.True(OutgoingSender.IsStaff(new Activity { ChannelData = """{"clinicbot":{"sender":"staff"}}""" }));
        Assert.False(OutgoingSender.IsStaff(new Activity { ChannelData = new { clinicbot = new { sender = "bot" } } }));
        Assert.False(OutgoingSender.IsStaff(new Activity { ChannelData = "not json" }));
        Assert.False(OutgoingSender.IsStaff(new Activity()));
    }
}

public sealed class MessagingWindowTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(1, false, true, "RESPONSE", null)]
    [InlineData(1, true, true, "RESPONSE", null)]
    [InlineData(25, false, false, null, null)]
    [InlineData(25, true, true, "MESSAGE_TAG", "HUMAN_AGENT")]
    [InlineData(167, true, true, "MESSAGE_TAG", "HUMAN_AGENT")]
    [InlineData(169, true, false, null, null)]
    public void FollowsMessengersWindows(int hoursSinceLastMessage, bool fromStaff, bool allowed, string? type, string? tag)
    {
        var decision = MessengerMessagingWindow.Decide(Now.AddHours(-hoursSinceLastMessage), Now, fromStaff);
        Assert.Equal((allowed, type, tag), (decision.Allowed, decision.MessagingType, decision.Tag));
    }

    [Fact]
    public void NothingGoesToSomeoneWhoNeverWrote() => Assert.False(MessengerMessagingWindow.Decide(null, Now, fromStaff: true).Allowed);

    [Fact]
    public void QuickReplyTitlesAreCutToTwentyCharactersButPayloadsKeepTheChoice()
    {
        var messages = MessengerAdapter.ToMessages((Activity)QuickReplies.Message("Which one?", ["Yes", "A very long choice label indeed"]));
        var quickReplies = Assert.Single(messages).QuickReplies!;
        Assert.Equal(("Yes", "Yes"), (quickReplies[0].Title, quickReplies[0].Payload));
        Assert.True(quickReplies[1].Title.Length <= 20);
        Assert.Equal("A very long choice label indeed", quickReplies[1].Payload);
        Assert.All(quickReplies, q => Assert.Equal("text", q.ContentType));
    }
}

public sealed class KeywordCommentTriageTests
{
    private readonly KeywordCommentTriage _triage = new();

    [Theory]
    [InlineData("Never going back. Billing charged me twice and nobody calls back.")]
    [InlineData("Worst experience ever. My therapist was 25 min late and then rushed my session.")]
    [InlineData("The front desk was so rude to my mother")]
    [InlineData("Service was not great and not helpful at all")]
    [InlineData("I'm going to call my lawyer, you injured my shoulder")]
    public void NegativeCommentsAreComplaints(string comment) => Assert.True(_triage.Assess(comment).IsComplaint, comment);

    [Theory]
    [InlineData("Thank you all, the team was amazing with my knee rehab!")]
    [InlineData("Best PT in town, highly recommend")]
    [InlineData("Not bad at all, friendly staff")]
    [InlineData("What are your hours on Saturday?")]
    [InlineData("")]
    [InlineData(null)]
    public void OtherCommentsAreNot(string? comment) => Assert.False(_triage.Assess(comment).IsComplaint, comment);

    [Fact]
    public void SeverityAndSummaryReflectTheComment()
    {
        var billing = _triage.Assess("Never going back. Billing charged me twice and nobody calls back.");
        Assert.Equal(CaseSeverity.Medium, billing.Severity);
        Assert.Contains("billing", billing.Summary, StringComparison.Ordinal);
        Assert.Contains("no call back", billing.Summary, StringComparison.Ordinal);
        Assert.Equal(CaseSeverity.High, _triage.Assess("Terrible. I'm talking to a lawyer.").Severity);
    }
}

public abstract class CaseStoreContractTests
{
    protected abstract ICaseStore Store { get; }

    [Fact]
    public async Task CreatesWithIdAndReferenceAndFindsByEither()
    {
        var created = await Store.CreateAsync(new ComplaintCase { Source = CaseSource.Messenger, Summary = "Late start", OriginalText = "x", PatientName = "Jordan" }, default);
        Assert.False(string.IsNullOrEmpty(created.Id));
        Assert.Matches("^C-[0-9]{5}$", created.Reference);
        Assert.NotEqual(default, created.CreatedAt);

        Assert.Equal("Jordan", (await Store.GetAsync(created.Id, default))!.PatientName);
        Assert.Equal(created.Id, (await Store.GetAsync(created.Reference.ToLowerInvariant(), default))!.Id);
        Assert.Null(await Store.GetAsync("C-00000", default));
    }

    [Fact]
    public async Task UpdatesKeepTheReferenceAndListsFilterByStatus()
    {
        var first = await Store.CreateAsync(new ComplaintCase { Summary = "one" }, default);
        var second = await Store.CreateAsync(new ComplaintCase { Summary = "two" }, default);
        Assert.NotEqual(first.Reference, second.Reference);

        var reference = second.Reference;
        second.Status = CaseStatus.InProgress;
        second.StaffNotes.Add(new CaseNote(DateTimeOffset.UtcNow, "Priya", "Called the patient"));
        second.ApprovedRemedy = "Free consultation";
        second.Reference = "C-99999";
        Assert.True(await Store.UpdateAsync(second, default));

        var stored = (await Store.GetAsync(second.Id, default))!;
        Assert.Equal(reference, stored.Reference);
        Assert.Equal("Free consultation", stored.ApprovedRemedy);
        Assert.Equal("Called the patient", Assert.Single(stored.StaffNotes).Text);
        Assert.Equal([first.Id], (await Store.ListAsync(CaseStatus.Open, default)).Select(c => c.Id));
        Assert.Equal([second.Id], (await Store.ListAsync(CaseStatus.InProgress, default)).Select(c => c.Id));
        Assert.Equal(2, (await Store.ListAsync(null, default)).Count);
        Assert.False(await Store.UpdateAsync(new ComplaintCase { Id = "missing" }, default));
    }
}

public sealed class InMemoryCaseStoreTests : CaseStoreContractTests
{
    protected override ICaseStore Store { get; } = new InMemoryCaseStore(TimeProvider.System);
}

public sealed class SqliteCaseStoreTests : CaseStoreContractTests, IDisposable
{
    private readonly SqliteTestDatabase _database = new();

    public SqliteCaseStoreTests()
    {
        Store = new SqliteCaseStore(_database.Open(SqliteCaseStore.Schema), TimeProvider.System);
    }

    protected override ICaseStore Store { get; }

    public void Dispose() => _database.Dispose();
}
