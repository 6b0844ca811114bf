using ClinicBot.Dialogs.Bots;
using ClinicBot.Dialogs.Conversation;
using ClinicBot.Dialogs.Patients;
using ClinicBot.Tests.Support;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Connector;
using Microsoft.Bot.Schema;
using Newtonsoft.Json.Linq;

namespace ClinicBot.Tests.Dialogs.Conversation;

public sealed class GreetingTests(Xunit.Abstractions.ITestOutputHelper output)
{
    [Fact]
    public async Task GreetsByFirstNameWhenTheChannelProvidesOne()
    {
        await using var bot = new BotHarness();
        await bot.Flow()
            .Send(BotHarness.Joined("Maria Lopez"))
            .AssertReply(reply =>
            {
                Assert.StartsWith("Hi Maria!", reply.AsMessageActivity().Text, StringComparison.Ordinal);
                Assert.Contains("Talk to a person", BotHarness.SuggestedActionTitles(reply));
            })
            .StartTestAsync();
    }

    [Fact]
    public async Task WebsitePatientIsGreetedFromTheJoinEventNotAsAStranger()
    {
        await using var bot = new BotHarness(channelId: Channels.Webchat);
        await bot.Flow()
            .Send(BotHarness.Joined(null))
            .Send(new Activity { Type = ActivityTypes.Event, Name = ClinicBotHandler.JoinEventName, Value = JObject.FromObject(new { name = "Maria Lopez" }) })
            .AssertReply(reply => Assert.StartsWith("Hi Maria!", reply.AsMessageActivity().Text, StringComparison.Ordinal))
            .StartTestAsync();
    }

    [Fact]
    public async Task AsksForNameWhenChannelDoesNotProvideOneAndUsesIt()
    {
        await using var bot = new BotHarness();
        bot.Recognizer.Answers("saturday", "We're open Saturdays from 8:00 to 12:00.");
        await bot.Flow()
            .Send(BotHarness.Joined(null))
            .AssertReply(reply => Assert.Contains("Hi there", reply.AsMessageActivity().Text, StringComparison.Ordinal))
            .AssertReply(reply => Assert.Contains("first name", reply.AsMessageActivity().Text, StringComparison.Ordinal))
            .Send("i'm dana")
            .AssertReply(reply => Assert.StartsWith("Nice to meet you, Dana!", reply.AsMessageActivity().Text, StringComparison.Ordinal))
            .Send("thanks!")
            .AssertReply("You're very welcome, Dana! I'm here if anything else comes up.")
            .StartTestAsync();

        // Remembered for the next visit.
        await bot.Flow("conv-2")
            .Send(BotHarness.Joined(null))
            .AssertReply(reply => Assert.StartsWith("Welcome back, Dana!", reply.AsMessageActivity().Text, StringComparison.Ordinal))
            .StartTestAsync();
    }

    [Fact]
    public async Task VisitorWhoDeclinesIsNeverAskedAgain()
    {
        await using var bot = new BotHarness();
        await bot.Flow()
            .Send(BotHarness.Joined(null))
            .AssertReply(_ => { })
            .AssertReply(reply => Assert.Contains("first name", reply.AsMessageActivity().Text, StringComparison.Ordinal))
            .Send("I'd rather not")
            .AssertReply(reply => Assert.StartsWith("No problem at all.", reply.AsMessageActivity().Text, StringComparison.Ordinal))
            .StartTestAsync();

        await bot.Flow("conv-2")
            .Send(BotHarness.Joined(null))
            .AssertReply(reply => Assert.DoesNotContain("name", reply.AsMessageActivity().Text, StringComparison.OrdinalIgnoreCase))
            .AssertNoReply()
            .StartTestAsync();
    }

    [Fact]
    public async Task AQuestionGivenInsteadOfANameIsAnswered()
    {
        await using var bot = new BotHarness();
        bot.Recognizer.Answers("saturday", "We're open Saturdays from 8:00 to 12:00.");
        try
        {
            await bot.Flow()
                .Send(BotHarness.Joined(null))
                .AssertReply(_ => { })
                .AssertReply(_ => { })
                .Send("r u open saturday mornings?")
                .AssertReply("We're open Saturdays from 8:00 to 12:00.")
                .StartTestAsync();
        }
        finally
        {
            foreach (var line in bot.Logs.Lines)
            {
                output.WriteLine(line);
            }
        }
    }

    [Fact]
    public async Task PatientWhoSpeaksFirstIsGreetedThenAnswered()
    {
        await using var bot = new BotHarness();
        bot.Recognizer.Answers("saturday", "We're open Saturdays from 8:00 to 12:00.");
        await bot.Flow()
            .Send(BotHarness.Message("r u open saturday mornings? i work weekdays", fromName: "Maria Lopez"))
            .AssertReply(reply => Assert.StartsWith("Hi Maria!", reply.AsMessageActivity().Text, StringComparison.Ordinal))
            .AssertReply("We're open Saturdays from 8:00 to 12:00.")
            .StartTestAsync();
    }

    [Fact]
    public async Task ReturningPatientIsWelcomedBack()
    {
        await using var bot = new BotHarness();
        await bot.Flow().Send(BotHarness.Joined("Maria Lopez")).AssertReply(_ => { }).StartTestAsync();
        await bot.Flow("conv-2")
            .Send(BotHarness.Joined("Maria Lopez"))
            .AssertReply(reply => Assert.StartsWith("Welcome back, Maria!", reply.AsMessageActivity().Text, StringComparison.Ordinal))
            .StartTestAsync();
    }

    [Fact]
    public async Task GreetsOnlyOncePerConversation()
    {
        await using var bot = new BotHarness();
        bot.Recognizer.Answers("parking", "Free parking is behind the building.");
        await bot.Flow()
            .Send(BotHarness.Joined("Maria Lopez"))
            .AssertReply(_ => { })
            .Send("where do I find parking")
            .AssertReply("Free parking is behind the building.")
            .StartTestAsync();
    }

    [Theory]
    [InlineData("Maria Lopez", "Maria")]
    [InlineData("maria", "Maria")]
    [InlineData("JORDAN", "Jordan")]
    [InlineData("McKenzie Smith", "McKenzie")]
    [InlineData("User", null)]
    [InlineData("patient-123", null)]
    [InlineData("", null)]
    public void FirstNameFromDisplayName(string displayName, string? expected) =>
        Assert.Equal(expected, PatientNames.FirstNameFromDisplayName(displayName));

    [Theory]
    [InlineData("Dana", "Dana")]
    [InlineData("my name is dana smith", "Dana")]
    [InlineData("Hi, I'm Robert.", "Robert")]
    [InlineData("call me Dee", "Dee")]
    [InlineData("do you take medicare?", null)]
    [InlineData("my son hurt his knee playing soccer", null)]
    public void NameFromAnswer(string answer, string? expected) =>
        Assert.Equal(expected, PatientNames.FromAnswer(answer));
}
