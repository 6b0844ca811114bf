using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using ClinicBot.Bot.Handoff;
using ClinicBot.Dialogs.Cases;
using ClinicBot.Dialogs.Handoff;
using ClinicBot.Dialogs.Phrasing;
using ClinicBot.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace ClinicBot.Tests.Scenarios;

/// <summary>The bot on a Monday morning with the clinic open, for scenarios that depend on opening hours.</summary>
public sealed class OpenClinicFixture : ScenarioFixture
{
    protected override ClinicBotFactory CreateApp() => new(clock: ClinicBotFactory.MondayMorning());
}

/// <summary>Scenarios 03 and 04 through /api/messages with the real host.</summary>
public sealed partial class DifficultScenarioTests(OpenClinicFixture fixture) : IClassFixture<OpenClinicFixture>
{
    [Fact]
    public async Task Scenario03_AngryPatientWithTheWrongDayIsHeardVerifiedToldTheFactsAndOfferedASupervisor()
    {
        fixture.App.Services.GetRequiredService<StaffPresence>().MarkOnline("s03", "supervisor-1", ["*"]);
        var robert = fixture.Patient("s03-" + Guid.NewGuid().ToString("N"), "visitor-robert-" + Guid.NewGuid().ToString("N"), "Robert Chen");
        await robert.OpenWidgetAsync();

        var first = await robert.SayAsync("I've been sitting in your waiting room for 40 minutes!!! nobody has called me. this is ridiculous");
        Assert.Equal("I'm sorry you've been waiting — that's frustrating.", first[0]);
        Assert.Contains(AppointmentPhrases.WillCheck, first);
        Assert.Equal(AppointmentPhrases.AskFullName, first[^1]);

        Assert.Equal([AppointmentPhrases.AskDateOfBirth], await robert.SayAsync("Robert Chen"));
        var facts = await robert.SayAsync("3/14/1979");
        Assert.Equal("I see your appointment is scheduled for tomorrow, Tuesday, at 10:00 AM with Jamie Park at our Downtown clinic.", facts[0]);

        var offer = await robert.SayAsync("that's your mistake, nobody told me. I'm leaving town tomorrow, I need to be seen TODAY");
        Assert.StartsWith("I'm sorry", offer[0], StringComparison.Ordinal);
        Assert.Contains(offer, t => t.Contains("today we have openings at 2:30 PM with Alex Kim at Downtown", StringComparison.Ordinal) && t.Contains("scheduling coordinator", StringComparison.Ordinal));
        Assert.DoesNotContain(offer, t => t.Contains("our mistake", StringComparison.OrdinalIgnoreCase) || t.Contains("our fault", StringComparison.OrdinalIgnoreCase));

        var escalation = await robert.SayAsync("No. This is absolutely ridiculous, I want this fixed");
        Assert.Equal(DifficultConversationPhrases.OfferSupervisor, escalation[^1]);
        var handedOver = await robert.SayAsync("yes");
        Assert.Contains(handedOver, t => t.Contains("clinic supervisor", StringComparison.Ordinal));

        var queue = fixture.App.Services.GetRequiredService<IHandoffQueue>();
        var handoff = await FindHandoffAsync(queue, robert.ConversationId);
        Assert.Equal("supervisor", handoff.Department);
        Assert.Equal(HandoffPriority.High, handoff.Priority);
        Assert.Equal("patient-robert", handoff.Context["verifiedPatientId"]);
        Assert.Contains("Jamie Park", handoff.Context["appointment"], StringComparison.Ordinal);
        Assert.Contains("2:30 PM", handoff.Context["offered"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoAppointmentDetailIsEverSentToAnUnverifiedPatient()
    {
        var stranger = fixture.Patient("s03x-" + Guid.NewGuid().ToString("N"), "visitor-" + Guid.NewGuid().ToString("N"), "Rob");
        await stranger.OpenWidgetAsync();
        await stranger.SayAsync("when is my next appointment?");
        await stranger.SayAsync("Robert Chen");
        await stranger.SayAsync("01/01/1980");
        await stranger.SayAsync("Robert Chen");
        var last = await stranger.SayAsync("12/31/1979");
        Assert.Contains(AppointmentPhrases.CouldNotVerify, last);
        Assert.All(stranger.Heard, text =>
        {
            Assert.DoesNotContain("Jamie Park", text, StringComparison.Ordinal);
            Assert.DoesNotContain("10:00", text, StringComparison.Ordinal);
            Assert.DoesNotContain("Downtown clinic", text, StringComparison.Ordinal);
            Assert.DoesNotContain("I see your appointment", text, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task Scenario04_AbusivePatientGetsOneBoundaryThenASupervisorAndNoMoreReplies()
    {
        var patient = fixture.Patient("s04-" + Guid.NewGuid().ToString("N"), "psid-" + Guid.NewGuid().ToString("N"), "Casey", channelId: "facebook");
        await patient.SayAsync("hi");
        var boundary = await patient.SayAsync("you are a useless stupid bot");
        Assert.Equal(DifficultConversationPhrases.AbuseBoundary, boundary[0]);

        var ended = await patient.SayAsync("shut up and fuck off");
        Assert.Equal([DifficultConversationPhrases.AbuseEnded], ended);
        Assert.Empty(await patient.SayAsync("you morons"));

        var handoff = await FindHandoffAsync(fixture.App.Services.GetRequiredService<IHandoffQueue>(), patient.ConversationId);
        Assert.True(handoff.FlaggedAbusive);
        Assert.Equal("supervisor", handoff.Department);

        var threat = await patient.SayAsync("I'm going to hurt you when I come in");
        Assert.Contains(threat, t => t.Contains("911", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Scenario06_ComplaintIsReflectedConfirmedAndBecomesACaseAndARemedyComesOnlyFromStaff()
    {
        var jordan = fixture.Patient("s06-" + Guid.NewGuid().ToString("N"), "psid-" + Guid.NewGuid().ToString("N"), "Jordan Rivera", channelId: "facebook");
        var first = await jordan.SayAsync("Worst experience ever. My therapist was 25 min late and then rushed my session.");
        Assert.StartsWith("Hi Jordan!", first[0], StringComparison.Ordinal);
        Assert.Equal("I'm sorry, Jordan. You're telling me your therapist was 25 min late and then rushed your session — did I get that right?", first[^1]);

        Assert.Equal([ComplaintPhrases.AskDetails], await jordan.SayAsync("yes"));
        var opened = Assert.Single(await jordan.SayAsync("last tuesday at the downtown clinic, I think her name was Alex"));
        var reference = System.Text.RegularExpressions.Regex.Match(opened, @"C-\d+").Value;
        Assert.NotEmpty(reference);
        Assert.Contains("clinic supervisor", opened, StringComparison.Ordinal);
        Assert.Contains(" by ", opened, StringComparison.Ordinal);

        // Nothing the bot said on its own offers compensation.
        Assert.All(jordan.Heard, text => Assert.DoesNotMatch(Compensation(), text));

        var complaint = await fixture.App.Services.GetRequiredService<ICaseStore>().GetAsync(reference, default);
        Assert.NotNull(complaint);
        Assert.Equal(CaseSource.Messenger, complaint.Source);
        Assert.Contains("downtown clinic", complaint.OriginalText, StringComparison.Ordinal);
        Assert.Null(complaint.ApprovedRemedy);

        // An agent cannot approve a remedy; a supervisor can, and only then does the patient hear of it.
        using var agent = await fixture.App.SignedInClientAsync("maria", ClinicBotFactory.AgentPassword);
        var refused = await agent.PostAsJsonAsync($"/api/staff/cases/{reference}/remedy", new { text = "a free follow-up session" });
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.All(jordan.Heard, text => Assert.DoesNotMatch(Compensation(), text));

        using var supervisor = await fixture.App.SignedInClientAsync("sam", ClinicBotFactory.SupervisorPassword);
        var approved = await supervisor.PostAsJsonAsync($"/api/staff/cases/{reference}/remedy", new { text = "a free follow-up session" });
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        Assert.Contains(jordan.Heard, t => t.Contains("we'd like to offer you a free follow-up session", StringComparison.Ordinal) && t.Contains(reference, StringComparison.Ordinal));
    }

    private static async Task<HandoffRequest> FindHandoffAsync(IHandoffQueue queue, string conversationId)
    {
        return Assert.Single(await queue.ListByConversationAsync(conversationId, default));
    }

    [GeneratedRegex(@"\b(free|discount|refund|compensat\w*|credit|voucher|complimentary|on us)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Compensation();
}
