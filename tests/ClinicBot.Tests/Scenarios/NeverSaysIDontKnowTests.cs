using System.Text.RegularExpressions;
using ClinicBot.Bot.Handoff;
using ClinicBot.Dialogs.Knowledge;
using Microsoft.Extensions.DependencyInjection;

namespace ClinicBot.Tests.Scenarios;

/// <summary>
/// Drives the real bot down every kind of path (answers, restatements, no, yes, follow-ups, contact retries,
/// handoff online and offline, help, start over, safety, odd input) and checks every sentence it sent.
/// </summary>
public sealed partial class NeverSaysIDontKnowTests(ScenarioFixture fixture) : IClassFixture<ScenarioFixture>
{
    private static readonly string[][] Conversations =
    [
        ["hi", "what are your hours", "where do you park", "thanks"],
        ["do you sell running shoes?", "no", "what's the weather tomorrow", "no", "no"],
        ["can you recommend a surgeon for my hip", "yes", "skip"],
        ["is it normal for my back to hurt after exercises?", "yes", "call me at 12", "still no", "nope"],
        ["how much ibuprofen should I take before therapy", "yes", "555-201-3344"],
        ["help", "start over", "talk to a person", "skip"],
        ["I was charged twice for my visit", "yes", "it was $80"],
        ["asdfghjkl", "maybe", "what?", "no"],
        ["🙂", "?", "...", "ok"],
        ["my daughter sprained her ankle at soccer, can she be seen this week?", "yes", "skip"],
        ["Do you take Medicare", "And Aetna?", "what about cash prices", "bye"],
        ["I want to cancel my appointment", "yes"],
        ["you're useless", "whatever", "start over"],
        ["I'm having chest pain", "is that bad"],
    ];

    [Fact]
    public async Task NoPathLeadsTheBotToSayItDoesNotKnow()
    {
        fixture.App.Services.GetRequiredService<StaffPresence>().MarkOnline("sweep", "staff-sweep", ["billing", "scheduling"]);
        var heard = new List<string>();
        foreach (var (turns, index) in Conversations.Select((c, i) => (c, i)))
        {
            var patient = fixture.Patient($"sweep-{index}-{Guid.NewGuid():N}", $"sweep-user-{index}", index % 2 == 0 ? "Pat Doe" : null, index % 3 == 0 ? "webchat" : "emulator");
            await patient.JoinAsync();
            await patient.OpenWidgetAsync();
            foreach (var turn in turns)
            {
                await patient.SayAsync(turn);
            }

            heard.AddRange(patient.Heard);
        }

        Assert.True(heard.Count > 60, $"the sweep should exercise many replies, got {heard.Count}");
        Assert.All(heard, text => Assert.False(Banned().IsMatch(text), $"The bot said: {text}"));
    }

    [Fact]
    public void NoKnowledgeBaseAnswerSaysItDoesNotKnow()
    {
        var knowledge = fixture.App.Services.GetRequiredService<IKnowledgeBase>().Current;
        Assert.NotEmpty(knowledge.Entries);
        Assert.All(knowledge.Entries, entry => Assert.False(Banned().IsMatch(entry.Answer), $"Entry {entry.Id} says: {entry.Answer}"));
    }

    [GeneratedRegex(@"\b(i\s+don'?t\s+know|i\s+do\s+not\s+know|i'?m\s+not\s+sure|i\s+am\s+not\s+sure|not\s+sure|i\s+guess|no\s+good\s+match|dunno|no\s+idea|please\s+hold)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Banned();
}
