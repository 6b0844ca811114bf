using System.Text.RegularExpressions;
using ClinicBot.Dialogs.Handoff;
using ClinicBot.Dialogs.Phrasing;
using ClinicBot.Tests.Support;
using Microsoft.Bot.Schema;
using Microsoft.Extensions.Options;

namespace ClinicBot.Tests.Dialogs.Conversation;

public sealed partial class DifficultConversationTests
{
    [Fact]
    public async Task AbuseGetsExactlyOneCalmBoundaryThenTheConversationContinues()
    {
        await using var bot = new BotHarness();
        bot.Recognizer.Answers("parking", "Free parking is behind the building.");
        await bot.Flow()
            .Send("you're a useless piece of shit")
            .AssertReply(_ => { })
            .AssertReply(DifficultConversationPhrases.AbuseBoundary)
            .AssertReply(DifficultConversationPhrases.AbuseBoundaryContinue)
            .Send("where is parking")
            .AssertReply("Free parking is behind the building.")
            .StartTestAsync();
    }

    [Fact]
    public async Task ContinuedAbuseEndsTheExchangeHandsToTheSupervisorFlaggedAndStopsReplying()
    {
        await using var bot = new BotHarness();
        string? handoffId = null;
        await bot.Flow()
            .Send("shut up you stupid bot")
            .AssertReply(_ => { })
            .AssertReply(DifficultConversationPhrases.AbuseBoundary)
            .AssertReply(_ => { })
            .Send("fuck you")
            .AssertReply(DifficultConversationPhrases.AbuseEnded)
            .Send("you idiots")
            .AssertNoReply()
            .Send("answer me you morons")
            .AssertNoReply()
            .StartTestAsync();

        var data = await ReadConversationAsync(bot);
        handoffId = data.ActiveHandoffId;
        var handoff = await bot.Get<IHandoffQueue>().GetAsync(handoffId!, default);
        Assert.NotNull(handoff);
        Assert.Equal("supervisor", handoff.Department);
        Assert.True(handoff.FlaggedAbusive);
        Assert.Equal(HandoffReason.Abuse, handoff.Reason);
    }

    [Fact]
    public async Task AngerIsAcknowledgedFirstThenHelped()
    {
        await using var bot = new BotHarness();
        bot.Recognizer.Answers("refund", "Refunds go back to the original card within 5 to 7 business days.");
        await bot.Flow()
            .Send("this is ridiculous, where is my refund")
            .AssertReply(_ => { })
            .AssertReply(reply => Assert.StartsWith("I'm sorry about the trouble with your bill", reply.AsMessageActivity().Text, StringComparison.Ordinal))
            .AssertReply("Refunds go back to the original card within 5 to 7 business days.")
            .StartTestAsync();
    }

    [Fact]
    public async Task PersistentAngerOffersASupervisorWhoseHandoffCarriesPriorityAndContext()
    {
        await using var bot = new BotHarness();
        bot.Get<ClinicBot.Bot.Handoff.StaffPresence>().MarkOnline("c1", "supervisor-1", ["*"]);
        await bot.Flow()
            .Send("this is ridiculous")
            .AssertReply(_ => { })
            .AssertReply(reply => Assert.Contains("frustrating", reply.AsMessageActivity().Text, StringComparison.Ordinal))
            .AssertReply(_ => { })
            .Send("start over")
            .AssertReply(_ => { })
            .Send("this is unacceptable")
            .AssertReply(_ => { })
            .AssertReply(_ => { })
            .Send("start over")
            .AssertReply(_ => { })
            .Send("worst service ever, absolutely outrageous")
            .AssertReply(_ => { })
            .AssertReply(reply => Assert.Equal(DifficultConversationPhrases.OfferSupervisor, reply.AsMessageActivity().Text))
            .Send("yes")
            .AssertReply(reply => Assert.Contains("our clinic supervisor, the person who can look into what happened", reply.AsMessageActivity().Text, StringComparison.Ordinal))
            .AssertReply(reply => Assert.Contains("in line", reply.AsMessageActivity().Text, StringComparison.Ordinal))
            .StartTestAsync();

        var data = await ReadConversationAsync(bot);
        var handoff = await bot.Get<IHandoffQueue>().GetAsync(data.ActiveHandoffId!, default);
        Assert.Equal("supervisor", handoff!.Department);
        Assert.Equal(HandoffPriority.High, handoff.Priority);
        Assert.Equal("angry", handoff.Sentiment);
    }

    [Fact]
    public void EveryDepartmentsTransferMessageNamesTheRoleAndWhy()
    {
        var departments = Options.Create(new HandoffOptions()).Value.Departments;
        Assert.True(departments.Count >= 5);
        foreach (var department in departments)
        {
            foreach (var reason in Enum.GetValues<HandoffReason>())
            {
                var message = HandoffPhrases.Transfer(department, reason);
                Assert.Contains(department.Role, message, StringComparison.Ordinal);
                Assert.Contains(department.Why, message, StringComparison.Ordinal);
                Assert.DoesNotContain("please hold", message, StringComparison.OrdinalIgnoreCase);
            }

            Assert.Contains(department.Role, HandoffPhrases.ClosedNow(department, "Monday at 7:00 AM"), StringComparison.Ordinal);
            Assert.Contains(department.Why, HandoffPhrases.NobodyFreeNow(department), StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("I've been waiting 40 minutes, this is ridiculous")]
    [InlineData("you charged me twice, this is outrageous")]
    [InlineData("my appointment got cancelled again, unacceptable")]
    [InlineData("my therapist was rude and late")]
    [InlineData("whatever, terrible")]
    public void EmpathyNeverTakesBlameTheFactsDoNotSupport(string text)
    {
        foreach (var angry in new[] { true, false })
        {
            var reply = DifficultConversationPhrases.Acknowledge(text, angry);
            Assert.StartsWith("I", reply, StringComparison.Ordinal);
            Assert.DoesNotMatch(Blame(), reply);
        }

        Assert.DoesNotMatch(Blame(), DifficultConversationPhrases.OfferSupervisor);
        Assert.DoesNotMatch(Blame(), DifficultConversationPhrases.AbuseEnded);
    }

    private static async Task<ClinicBot.Dialogs.Patients.ConversationData> ReadConversationAsync(BotHarness bot)
    {
        var items = await bot.Storage.ReadAsync(["test/conversations/conv-1"], default);
        var state = (IDictionary<string, object>)items["test/conversations/conv-1"];
        return (ClinicBot.Dialogs.Patients.ConversationData)state["ConversationData"];
    }

    [GeneratedRegex(@"our (fault|mistake|error)|we (made a mistake|messed up|got it wrong|were wrong)|my (fault|mistake)|sorry for our|we apologi[sz]e for our", RegexOptions.IgnoreCase)]
    private static partial Regex Blame();
}
