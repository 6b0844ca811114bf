using ClinicBot.Dialogs.Handoff;
using ClinicBot.Dialogs.Interruptions;
using ClinicBot.Tests.Support;
using Microsoft.Bot.Schema;

namespace ClinicBot.Tests.Dialogs.Conversation;

public sealed class InterruptionTests
{
    [Fact]
    public async Task HelpExplainsThenRepeatsTheQuestionThatWasPending()
    {
        await using var bot = new BotHarness();
        await bot.Flow()
            .Send("can I bring my dog")
            .AssertReply(_ => { })
            .AssertReply(reply => Assert.EndsWith("Is that right?", reply.AsMessageActivity().Text, StringComparison.Ordinal))
            .Send("help")
            .AssertReply(reply => Assert.StartsWith("Here's what I can do", reply.AsMessageActivity().Text, StringComparison.Ordinal))
            .AssertReply(reply => Assert.EndsWith("Is that right?", reply.AsMessageActivity().Text, StringComparison.Ordinal))
            .Send("yes")
            .AssertReply("Let me try to find out for you.")
            .StartTestAsync();
    }

    [Fact]
    public async Task StartOverAbandonsThePendingStep()
    {
        await using var bot = new BotHarness();
        bot.Recognizer.Answers("parking", "Free parking is behind the building.");
        await bot.Flow()
            .Send("can I bring my dog")
            .AssertReply(_ => { })
            .AssertReply(_ => { })
            .Send("start over")
            .AssertReply("Okay, let's start fresh. What can I help you with?")
            .Send("where's parking")
            .AssertReply("Free parking is behind the building.")
            .StartTestAsync();
    }

    [Fact]
    public async Task TalkToAPersonOutsideHoursSaysWhoWhenAndTakesAFollowUp()
    {
        await using var bot = new BotHarness(now: new DateTimeOffset(2026, 11, 29, 3, 0, 0, TimeSpan.Zero)); // Saturday 22:00 New York
        await bot.Flow()
            .Send("can I talk to a real person")
            .AssertReply(_ => { })
            .AssertReply(reply =>
            {
                var text = reply.AsMessageActivity().Text;
                Assert.Contains("front desk coordinator", text, StringComparison.Ordinal);
                Assert.Contains("isn't in right now", text, StringComparison.Ordinal);
                Assert.Contains("Monday, November 30 at 7:00 AM", text, StringComparison.Ordinal);
            })
            .AssertReply(reply => Assert.Contains("get back to you right here by", reply.AsMessageActivity().Text, StringComparison.Ordinal))
            .AssertReply(reply => Assert.Contains("phone number or email", reply.AsMessageActivity().Text, StringComparison.Ordinal))
            .StartTestAsync();
        Assert.Single(await bot.Get<ClinicBot.Dialogs.FollowUps.IFollowUpQueue>().ListAsync(null, default));
    }

    [Fact]
    public async Task EmergencyInterruptsAnyStepWithEmergencyGuidanceFirst()
    {
        await using var bot = new BotHarness();
        await bot.Flow()
            .Send("can I bring my dog")
            .AssertReply(_ => { })
            .AssertReply(_ => { })
            .Send("actually I have chest pain and my left arm is numb")
            .AssertReply(reply => Assert.StartsWith("Please call 911 now", reply.AsMessageActivity().Text, StringComparison.Ordinal))
            .AssertReply(reply => Assert.Contains("aren't online right now", reply.AsMessageActivity().Text, StringComparison.Ordinal))
            .StartTestAsync();
    }

    [Fact]
    public async Task SuicidalThoughtsGetTheCrisisLineAndAnUrgentStaffAlert()
    {
        await using var bot = new BotHarness();
        bot.Recognizer.Answers("pain", "We treat pain.", 0.99);
        await bot.Flow()
            .Send("the pain is so bad I want to kill myself")
            .AssertReply(reply =>
            {
                var text = reply.AsMessageActivity().Text;
                Assert.Contains("911", text, StringComparison.Ordinal);
                Assert.Contains("988", text, StringComparison.Ordinal);
            })
            .AssertReply(_ => { })
            .StartTestAsync();
        Assert.Empty(bot.Recognizer.Queries);
    }

    [Theory]
    [InlineData("help", Interruption.Help)]
    [InlineData("what can you do?", Interruption.Help)]
    [InlineData("can you help me with my bill", Interruption.None)]
    [InlineData("start over", Interruption.StartOver)]
    [InlineData("never mind", Interruption.StartOver)]
    [InlineData("I don't want to stop my therapy", Interruption.None)]
    [InlineData("can I talk to a real person", Interruption.TalkToPerson)]
    [InlineData("I want to speak to someone at the front desk", Interruption.TalkToPerson)]
    [InlineData("agent", Interruption.TalkToPerson)]
    [InlineData("are you a real person?", Interruption.None)]
    [InlineData("i need a human", Interruption.TalkToPerson)]
    public void RecognizesInterruptions(string text, Interruption expected) =>
        Assert.Equal(expected, InterruptionRecognizer.Recognize(text));
}
