using ClinicBot.Dialogs.Handoff;
using ClinicBot.Tests.Support;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Builder.Adapters;
using Microsoft.Bot.Schema;
using Microsoft.Extensions.DependencyInjection;
using Newtonsoft.Json.Linq;

namespace ClinicBot.Tests.Handoff;

/// <summary>Handoff:Mode = ExternalHub: the Bot Framework handoff protocol (handoff.initiate out, handoff.status in).</summary>
public sealed class ExternalHubHandoffTests
{
    [Fact]
    public async Task TheBotInitiatesAHandoffWithContextStaysQuietAndResumesWhenTheHubCompletes()
    {
        await using var bot = new BotHarness(services => services.Configure<HandoffOptions>(o => o.Mode = HandoffMode.ExternalHub));
        await bot.Flow()
            .Send(BotHarness.Message("can I talk to a real person", "Dana Smith"))
            .AssertReply(_ => { })
            .AssertReply(reply => Assert.True(reply.AsMessageActivity().Text.Contains("front desk coordinator", StringComparison.Ordinal), string.Join("\n", bot.Logs.Lines)))
            .AssertReply(reply =>
            {
                var initiation = (Activity)reply;
                Assert.Equal(ActivityTypes.Event, initiation.Type);
                Assert.Equal(HandoffEventNames.InitiateHandoff, initiation.Name);
                var context = JObject.FromObject(initiation.Value);
                Assert.Equal("front-desk", context.Value<string>("department"));
                Assert.Equal("PatientAsked", context.Value<string>("reason"));
                Assert.Equal("Dana", context.Value<string>("patientName"));
                Assert.NotNull(initiation.Attachments.Single(a => a.Name == "Transcript"));
            })
            .AssertReply(reply => Assert.Contains("join this chat shortly", reply.AsMessageActivity().Text, StringComparison.Ordinal))
            .Send("hello? anyone there")
            .AssertNoReply()
            .Send(Status(HandoffStates.Accepted))
            .AssertNoReply()
            .Send("thanks for joining")
            .AssertNoReply()
            .Send(Status(HandoffStates.Completed))
            .AssertReply(reply => Assert.Contains("back with the automated assistant", reply.AsMessageActivity().Text, StringComparison.Ordinal))
            .Send("help")
            .AssertReply(reply => Assert.False(string.IsNullOrEmpty(reply.AsMessageActivity().Text)))
            .StartTestAsync();
    }

    [Fact]
    public async Task AFailedHubHandoffTellsThePatientHonestly()
    {
        await using var bot = new BotHarness(services => services.Configure<HandoffOptions>(o => o.Mode = HandoffMode.ExternalHub));
        await bot.Flow()
            .Send(BotHarness.Message("can I talk to a real person", "Dana Smith"))
            .AssertReply(_ => { })
            .AssertReply(_ => { })
            .AssertReply(_ => { })
            .AssertReply(_ => { })
            .Send(Status(HandoffStates.Failed))
            .AssertReply(reply => Assert.Contains("couldn't connect you", reply.AsMessageActivity().Text, StringComparison.Ordinal))
            .StartTestAsync().ContinueWith(t => Assert.True(t.IsCompletedSuccessfully, string.Join("\n", bot.Logs.Lines)), TaskScheduler.Default);
    }

    [Fact]
    public async Task HandoffStatusEventsAreIgnoredWithTheBuiltInQueue()
    {
        await using var bot = new BotHarness();
        await bot.Flow()
            .Send(Status(HandoffStates.Completed))
            .AssertNoReply()
            .StartTestAsync();
    }

    private static Activity Status(string state) => new()
    {
        Type = ActivityTypes.Event,
        Name = HandoffEventNames.HandoffStatus,
        Value = new JObject { ["state"] = state },
    };
}
