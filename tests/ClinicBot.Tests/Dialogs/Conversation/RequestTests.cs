using ClinicBot.Bot.Handoff;
using ClinicBot.Dialogs.FollowUps;
using ClinicBot.Tests.Support;
using Microsoft.Bot.Schema;

namespace ClinicBot.Tests.Dialogs.Conversation;

public sealed class RequestTests
{
    [Fact]
    public async Task AnswersAConfidentQuestionFromTheKnowledgeBaseWithoutARoundTrip()
    {
        await using var bot = new BotHarness();
        bot.Recognizer.Answers("saturday", "We're open Saturdays from 8:00 to 12:00.");
        await bot.Flow()
            .Send("r u open saturday mornings? i work weekdays")
            .AssertReply(_ => { })
            .AssertReply("We're open Saturdays from 8:00 to 12:00.")
            .AssertNoReply()
            .StartTestAsync();
    }

    [Fact]
    public async Task LowConfidenceIsRestatedNotAnswered()
    {
        await using var bot = new BotHarness();
        bot.Recognizer.Answers("pediatric", "Yes, we offer pediatric physical therapy.", confidence: 0.4);
        await bot.Flow()
            .Send("my son has a dislocated hinge, do you do pediatric PT for that?")
            .AssertReply(_ => { })
            .AssertReply(reply =>
            {
                Assert.Contains("my son has a dislocated hinge", reply.AsMessageActivity().Text, StringComparison.Ordinal);
                Assert.EndsWith("Is that right?", reply.AsMessageActivity().Text, StringComparison.Ordinal);
                Assert.Equal(["Yes", "No"], BotHarness.SuggestedActionTitles(reply));
            })
            .StartTestAsync();
    }

    [Fact]
    public async Task ConfirmedUnknownQuestionBecomesADurableFollowUpBeforeThePatientIsTold()
    {
        await using var bot = new BotHarness();
        var queue = bot.Get<IFollowUpQueue>();
        await bot.Flow()
            .Send(BotHarness.Message("my son has a dislocated hinge, do you do pediatric PT for that?", "Dana Smith"))
            .AssertReply(_ => { })
            .AssertReply(_ => { })
            .Send("yes")
            .AssertReply(reply =>
            {
                Assert.Equal("Let me try to find out for you.", reply.AsMessageActivity().Text);
                Assert.Single(queue.ListAsync(FollowUpStatus.Open, default).Result);
            })
            .AssertReply(reply =>
            {
                var text = reply.AsMessageActivity().Text;
                Assert.Contains("our pediatric therapy team", text, StringComparison.Ordinal);
                Assert.Contains("by tomorrow at 7:00 PM", text, StringComparison.Ordinal);
                Assert.Contains("right here in this chat", text, StringComparison.Ordinal);
            })
            .AssertReply(reply => Assert.Contains("phone number or email", reply.AsMessageActivity().Text, StringComparison.Ordinal))
            .Send("555-123-4567")
            .AssertReply(reply => Assert.Contains("(555) 123-4567", reply.AsMessageActivity().Text, StringComparison.Ordinal))
            .StartTestAsync();

        var followUp = Assert.Single(await queue.ListAsync(null, default));
        Assert.Equal("Dana", followUp.PatientName);
        Assert.Equal("patient-1", followUp.PatientUserId);
        Assert.Equal("my son has a dislocated hinge, do you do pediatric PT for that?", followUp.OriginalText);
        Assert.Equal("pediatrics", followUp.Department);
        Assert.Equal("(555) 123-4567", followUp.ContactPhone);
        Assert.Equal(bot.Clock.GetUtcNow(), followUp.AskedAt);
        Assert.Equal(new DateTimeOffset(2026, 12, 2, 0, 0, 0, TimeSpan.Zero), followUp.DueBy); // Tuesday 19:00 New York
        Assert.Contains("conv-1", followUp.ReplyAddress, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvalidContactIsAskedAgainAndSkipIsRespected()
    {
        await using var bot = new BotHarness();
        var queue = bot.Get<IFollowUpQueue>();
        await bot.Flow()
            .Send("can I bring my dog to my session")
            .AssertReply(_ => { })
            .AssertReply(_ => { })
            .Send("yes")
            .AssertReply(_ => { })
            .AssertReply(_ => { })
            .AssertReply(_ => { })
            .Send("call me at 12")
            .AssertReply(reply => Assert.Contains("doesn't look like a phone number", reply.AsMessageActivity().Text, StringComparison.Ordinal))
            .Send("skip")
            .AssertReply(FollowUpPhrasesNoContact)
            .StartTestAsync();

        var followUp = Assert.Single(await queue.ListAsync(null, default));
        Assert.Null(followUp.ContactPhone);
        Assert.Null(followUp.ContactEmail);
    }

    [Fact]
    public async Task NoAsksToRephraseAndTwoMisunderstandingsOfferAPerson()
    {
        await using var bot = new BotHarness();
        await bot.Flow()
            .Send("the thing about the stuff")
            .AssertReply(_ => { })
            .AssertReply(_ => { })
            .Send("no")
            .AssertReply(reply => Assert.Contains("put it another way", reply.AsMessageActivity().Text, StringComparison.Ordinal))
            .Send("the other stuff")
            .AssertReply(reply => Assert.EndsWith("Is that right?", reply.AsMessageActivity().Text, StringComparison.Ordinal))
            .Send("nope")
            .AssertReply(reply => Assert.Contains("connect you with a person", reply.AsMessageActivity().Text, StringComparison.Ordinal))
            .Send("yes")
            .AssertReply(reply => Assert.Contains("front desk coordinator", reply.AsMessageActivity().Text, StringComparison.Ordinal))
            .StartTestAsync();
    }

    [Fact]
    public async Task MedicalQuestionIsNeverAnsweredFromTheKnowledgeBase()
    {
        await using var bot = new BotHarness();
        bot.Recognizer.Answers("knee", "We treat knee pain, sports injuries and more.", confidence: 0.99);
        await bot.Flow()
            .Send("is it normal for my knee to swell after therapy?")
            .AssertReply(_ => { })
            .AssertReply(reply => Assert.Contains("physical therapists", reply.AsMessageActivity().Text, StringComparison.Ordinal))
            .AssertReply(reply => Assert.EndsWith("Is that right?", reply.AsMessageActivity().Text, StringComparison.Ordinal))
            .Send("yes")
            .AssertReply("Let me try to find out for you.")
            .AssertReply(reply => Assert.Contains("our clinical team", reply.AsMessageActivity().Text, StringComparison.Ordinal))
            .StartTestAsync();
        Assert.Empty(bot.Recognizer.Queries);
    }

    [Fact]
    public async Task BillingProblemGoesToTheBillingSpecialistWhenSomeoneIsOnline()
    {
        await using var bot = new BotHarness();
        bot.Get<StaffPresence>().MarkOnline("connection-1", "staff-1", ["billing"]);
        await bot.Flow()
            .Send("I was charged twice for my last visit")
            .AssertReply(_ => { })
            .AssertReply(reply => Assert.Contains("our billing team", reply.AsMessageActivity().Text, StringComparison.Ordinal))
            .Send("yes")
            .AssertReply("I'm here to help you get the right information, so I'm connecting you with our billing specialist, the best person to help with bills, charges and payments.")
            .AssertReply(reply => Assert.StartsWith("You're next in line", reply.AsMessageActivity().Text, StringComparison.Ordinal))
            .Send("it was $120")
            .AssertNoReply()
            .StartTestAsync();
    }

    private static void FollowUpPhrasesNoContact(IActivity reply) =>
        Assert.Equal(ClinicBot.Dialogs.Phrasing.FollowUpPhrases.NoContactNeeded, reply.AsMessageActivity().Text);
}
