using ClinicBot.Bot.FollowUps;
using ClinicBot.Bot.Handoff;
using ClinicBot.Dialogs.FollowUps;
using Microsoft.Extensions.DependencyInjection;

namespace ClinicBot.Tests.Scenarios;

/// <summary>Scenarios 01, 02 and 08 through /api/messages with the real recognizer and knowledge base.</summary>
public sealed class AnsweringScenarioTests(ScenarioFixture fixture) : IClassFixture<ScenarioFixture>
{
    [Fact]
    public async Task Scenario01_GreetsMariaByNameAnswersSaturdayHoursAndClosesWarmly()
    {
        var maria = fixture.Patient("s01-" + Guid.NewGuid().ToString("N"), "patient-maria-" + Guid.NewGuid().ToString("N"), "Maria Lopez");
        await maria.JoinAsync();
        await maria.OpenWidgetAsync();
        var greeting = Assert.Single(maria.Heard);
        Assert.StartsWith("Hi Maria!", greeting, StringComparison.Ordinal);

        var answer = Assert.Single(await maria.SayAsync("r u open saturday mornings? i work weekdays"));
        Assert.Contains("Saturdays 8:00 to 12:00", answer, StringComparison.Ordinal);

        var close = Assert.Single(await maria.SayAsync("thanks!"));
        Assert.StartsWith("You're very welcome, Maria", close, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scenario02_ConfirmedUnknownQuestionIsFollowedUpAndTheAnswerReachesThePatient()
    {
        var dana = fixture.Patient("s02-" + Guid.NewGuid().ToString("N"), "visitor-" + Guid.NewGuid().ToString("N"), "Dana");
        await dana.OpenWidgetAsync();

        var restated = await dana.SayAsync("my son has a deployed hinge, do you do pediatric PT for that?");
        Assert.EndsWith("Is that right?", restated[^1], StringComparison.Ordinal);

        var confirmed = await dana.SayAsync("yes");
        Assert.StartsWith("Here's what I can tell you in general:", confirmed[0], StringComparison.Ordinal);
        Assert.Contains("Let me try to find out for you.", confirmed);
        Assert.Contains(confirmed, t => t.Contains("pediatric therapy team", StringComparison.Ordinal) && t.Contains(" by ", StringComparison.Ordinal));
        Assert.Contains(confirmed, t => t.Contains("phone number or email", StringComparison.Ordinal));

        var contact = await dana.SayAsync("dana.r@example.com");
        Assert.Contains(contact, t => t.Contains("dana.r@example.com", StringComparison.Ordinal));

        var queue = fixture.App.Services.GetRequiredService<IFollowUpQueue>();
        var followUp = Assert.Single(await queue.ListAsync(FollowUpStatus.Open, default), f => f.PatientUserId.Length > 0 && f.ReplyAddress.Contains(dana.ConversationId, StringComparison.Ordinal));
        Assert.Equal("my son has a deployed hinge, do you do pediatric PT for that?", followUp.OriginalText);
        Assert.Equal("dana.r@example.com", followUp.ContactEmail);
        Assert.Equal("Dana", followUp.PatientName);
        Assert.True(followUp.DueBy > followUp.AskedAt);

        var before = dana.Heard.Count;
        var result = await fixture.App.Services.GetRequiredService<FollowUpAnswering>()
            .AnswerAsync(followUp.Id, "Yes: our pediatric team treats elbow dislocations after the cast comes off.", "Alex (front desk)", addToKnowledgeBase: false, default);
        Assert.Equal(FollowUpAnswerOutcome.Delivered, result.Outcome);
        var delivered = Assert.Single(dana.Heard.Skip(before));
        Assert.Contains("our pediatric team treats elbow dislocations", delivered, StringComparison.Ordinal);
        Assert.Equal(FollowUpStatus.Answered, (await queue.GetAsync(followUp.Id, default))!.Status);

        var again = await fixture.App.Services.GetRequiredService<FollowUpAnswering>()
            .AnswerAsync(followUp.Id, "A second answer", "Sam", addToKnowledgeBase: false, default);
        Assert.Equal(FollowUpAnswerOutcome.AlreadyAnswered, again.Outcome);
    }

    [Fact]
    public async Task Scenario08_EmergencyAtAnyPointGetsEmergencyGuidanceFirstNeverAnFaqAnswer()
    {
        var presence = fixture.App.Services.GetRequiredService<StaffPresence>();
        presence.MarkOnline("s08", "agent-s08", ["front-desk"]);
        using var offline = new Disposable(() => presence.MarkOffline("s08", "agent-s08"));
        var patient = fixture.Patient("s08-" + Guid.NewGuid().ToString("N"), "visitor-" + Guid.NewGuid().ToString("N"), "Sam Ortiz");
        await patient.OpenWidgetAsync();
        await patient.SayAsync("can I bring my service dog to appointments");

        var replies = await patient.SayAsync("I fell and hit my head and now I feel dizzy");
        Assert.Contains("call 911 now", replies[0], StringComparison.Ordinal);
        Assert.Contains(replies, t => t.Contains("alerted our clinic staff", StringComparison.Ordinal));

        var crisis = await fixture.Patient("s08c-" + Guid.NewGuid().ToString("N"), "visitor-" + Guid.NewGuid().ToString("N"), null).SayAsync("honestly i dont want to live anymore");
        Assert.Contains(crisis, t => t.Contains("988", StringComparison.Ordinal) && t.Contains("911", StringComparison.Ordinal));
    }
}

file sealed class Disposable(Action dispose) : IDisposable
{
    public void Dispose() => dispose();
}
