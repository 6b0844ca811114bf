using System.ComponentModel.DataAnnotations;
using ClinicBot.Bot.Handoff;
using ClinicBot.Dialogs.Handoff;
using ClinicBot.Dialogs.Phrasing;
using ClinicBot.Dialogs.Safety;
using ClinicBot.Tests.Support;
using Microsoft.Bot.Schema;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Newtonsoft.Json.Linq;

namespace ClinicBot.Tests.Safety;

/// <summary>
/// What the bot does with each level of the detector's decision, on the real conversation layer. The model is
/// scripted here (its quality is measured on the labelled sets), so each path is driven exactly.
/// </summary>
public sealed class SafetyResponderTests
{
    [Fact]
    public async Task APossibleRedFlagGetsAGentleCheckInWithBothNumbersAndANoBecomesARedFlag()
    {
        var model = new ScriptedRedFlagModel { ["i just feel so done with everything"] = new(0.02, 0.3, 0.0) };
        await using var bot = new BotHarness(s => s.AddSingleton<IRedFlagModel>(model));
        await bot.Flow()
            .Send("i just feel so done with everything")
            .AssertReply(reply =>
            {
                var text = reply.AsMessageActivity().Text;
                Assert.Contains("911", text, StringComparison.Ordinal);
                Assert.Contains("988", text, StringComparison.Ordinal);
                Assert.EndsWith("Are you safe right now?", text, StringComparison.Ordinal);
            })
            .Send("no")
            .AssertReply(reply => Assert.StartsWith("Please call or text 988 now", reply.AsMessageActivity().Text, StringComparison.Ordinal))
            .AssertReply(reply => Assert.Contains("aren't online right now", reply.AsMessageActivity().Text, StringComparison.Ordinal))
            .StartTestAsync();

        var alert = Assert.Single(await bot.Get<IHandoffQueue>().ListOpenAsync(null, default));
        Assert.Equal(HandoffPriority.Urgent, alert.Priority);
        Assert.Equal("Crisis", alert.Context["redFlag"]);
    }

    [Fact]
    public async Task ACheckInAnsweredYesCarriesOnWithoutAnAlert()
    {
        var model = new ScriptedRedFlagModel { ["my chest feels weird after the bike"] = new(0.35, 0.0, 0.0) };
        await using var bot = new BotHarness(s => s.AddSingleton<IRedFlagModel>(model));
        await bot.Flow()
            .Send("my chest feels weird after the bike")
            .AssertReply(reply => Assert.EndsWith("Are you safe right now?", reply.AsMessageActivity().Text, StringComparison.Ordinal))
            .Send("yes")
            .AssertReply(SafetyPhrases.CheckInSafe)
            .StartTestAsync();

        Assert.Empty(await bot.Get<IHandoffQueue>().ListOpenAsync(null, default));
    }

    [Fact]
    public async Task TheConfiguredPhrasesAreAFloorUnderTheModelAndAPlainNegationClearsThem()
    {
        await using var bot = new BotHarness(s => s.AddSingleton<IRedFlagModel>(new ScriptedRedFlagModel()));
        var detector = bot.Get<RedFlagDetector>();

        Assert.Equal(RedFlag.Emergency, (await detector.AssessAsync("I can't breathe", default)).Flag);
        Assert.Equal(RedFlagSource.Phrase, (await detector.AssessAsync("I can't breathe", default)).Source);
        Assert.Equal(RedFlag.Crisis, (await detector.AssessAsync("sometimes i think about how to kill myself", default)).Flag);
        Assert.Equal(SafetyLevel.None, (await detector.AssessAsync("no chest pain, just a sore knee", default)).Level);
        Assert.Equal(SafetyLevel.None, (await detector.AssessAsync("is the parking garage safe at night", default)).Level);
    }

    [Fact]
    public async Task ARedFlagWhileAPersonHasTheChatIsFlaggedToThatPersonAndTheChatBecomesUrgent()
    {
        await using var bot = new BotHarness(s => s.AddSingleton<IRedFlagModel>(new ScriptedRedFlagModel()));
        bot.Get<StaffPresence>().MarkOnline("c1", "staff-1", ["front-desk"]);
        var queue = bot.Get<IHandoffQueue>();
        await bot.Flow()
            .Send("can I talk to a real person")
            .AssertReply(_ => { })
            .AssertReply(_ => { })
            .AssertReply(reply => Assert.StartsWith("You're next in line", reply.AsMessageActivity().Text, StringComparison.Ordinal))
            .StartTestAsync();
        var handoff = Assert.Single(await queue.ListOpenAsync(null, default));
        await queue.AcceptAsync(handoff.Id, "staff-1", "Maria", bot.Clock.GetUtcNow(), default);

        await bot.Flow()
            .Send(new Activity { Type = ActivityTypes.Event, Name = HandoffEvents.Accepted, Value = JObject.FromObject(new HandoffEventValue(handoff.Id, "Maria", "front-desk")) })
            .AssertReply(reply => Assert.StartsWith("Maria", reply.AsMessageActivity().Text, StringComparison.Ordinal))
            .Send("I think I'm having a heart attack")
            .AssertReply(reply => Assert.StartsWith("Please call 911 now", reply.AsMessageActivity().Text, StringComparison.Ordinal))
            .AssertReply(SafetyPhrases.AgentAlerted("Maria"))
            .StartTestAsync();

        var flagged = (await queue.GetAsync(handoff.Id, default))!;
        Assert.Equal(HandoffPriority.Urgent, flagged.Priority);
        Assert.Equal(HandoffStatus.Active, flagged.Status);
        var messages = await queue.GetMessagesAsync(handoff.Id, default);
        Assert.Equal("I think I'm having a heart attack", messages[^2].Text);
        Assert.StartsWith("RED FLAG (medical emergency)", messages[^1].Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARedFlagAfterTheAbuseBoundaryStillGetsTheEmergencyNumber()
    {
        await using var bot = new BotHarness(s => s.AddSingleton<IRedFlagModel>(new ScriptedRedFlagModel()));
        await bot.Flow()
            .Send("you are a useless stupid bot")
            .AssertReply(_ => { })
            .AssertReply(DifficultConversationPhrases.AbuseBoundary)
            .AssertReply(_ => { })
            .Send("shut up and fuck off")
            .AssertReply(DifficultConversationPhrases.AbuseEnded)
            .Send("you idiots")
            .AssertNoReply()
            .Send("i'm going to kill myself tonight")
            .AssertReply(reply => Assert.StartsWith("Please call or text 988 now", reply.AsMessageActivity().Text, StringComparison.Ordinal))
            .StartTestAsync();
    }

    [Fact]
    public void ACheckInThresholdAboveTheRedFlagThresholdsIsRefusedAtStart()
    {
        var options = new SafetyOptions { CheckInThreshold = 0.7, CrisisThreshold = 0.5 };
        var results = new List<ValidationResult>();
        Assert.False(Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true));
        Assert.Contains(results, r => r.ErrorMessage!.Contains("Safety:CheckInThreshold", StringComparison.Ordinal));
    }

    /// <summary>Scores given per message; everything else scores as ordinary.</summary>
    private sealed class ScriptedRedFlagModel : Dictionary<string, RedFlagScores>, IRedFlagModel
    {
        public ValueTask<RedFlagScores> ScoreAsync(string text, CancellationToken cancellationToken) =>
            ValueTask.FromResult(TryGetValue(text, out var scores) ? scores : default);
    }
}
