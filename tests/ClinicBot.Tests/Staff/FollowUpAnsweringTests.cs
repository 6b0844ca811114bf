using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ClinicBot.Tests.Support;

namespace ClinicBot.Tests.Staff;

/// <summary>Scenario 02 steps 5-6 through the real host and the real embedded recognizer.</summary>
#pragma warning disable CA1001 // xunit disposes the factory through IAsyncLifetime.DisposeAsync
public sealed class FollowUpAnsweringTests : IAsyncLifetime
#pragma warning restore CA1001
{
    private const string Question = "do you sell gift cards for massage sessions";
    private readonly ClinicBotFactory _factory = new(clock: ClinicBotFactory.MondayMorning());
    private ReplySink _sink = null!;

    public async Task InitializeAsync() => _sink = await ReplySink.StartAsync();

    public async Task DisposeAsync()
    {
        await _sink.DisposeAsync();
        await _factory.DisposeAsync();
    }

    [Fact]
    public async Task AnAnswerReachesThePatientsChatAndTeachesTheBot()
    {
        var patient = _factory.CreateClient();
        var staff = await _factory.SignedInClientAsync("maria", ClinicBotFactory.AgentPassword);

        await _factory.PostActivityAsync(patient, _sink, "conv-ask", Question);
        await _sink.WaitForMessageAsync("conv-ask", t => t.EndsWith("Is that right?", StringComparison.Ordinal));
        await _factory.PostActivityAsync(patient, _sink, "conv-ask", "yes");
        await _sink.WaitForMessageAsync("conv-ask", t => t == "Let me try to find out for you.");

        var followUp = Assert.Single((await staff.GetFromJsonAsync<JsonElement>("/api/staff/follow-ups")).EnumerateArray());
        var id = followUp.GetProperty("id").GetString();
        Assert.Equal(Question, followUp.GetProperty("originalText").GetString());

        const string answer = "Yes: gift cards for massage sessions are sold at the front desk of both clinics.";
        var answered = await staff.PostAsJsonAsync($"/api/staff/follow-ups/{id}/answer", new { answer, addToKnowledgeBase = true });
        Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
        Assert.Equal("Delivered", (await answered.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("outcome").GetString());
        await _sink.WaitForMessageAsync("conv-ask", t => t.Contains(answer, StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.Conflict, (await staff.PostAsJsonAsync($"/api/staff/follow-ups/{id}/answer", new { answer = "again" })).StatusCode);
        Assert.Empty((await staff.GetFromJsonAsync<JsonElement>("/api/staff/follow-ups")).EnumerateArray());

        // The next patient asking the same thing gets the answer from the bot itself.
        await _factory.PostActivityAsync(patient, _sink, "conv-next", Question, userName: "Lee Park", userId: "patient-2");
        await _sink.WaitForMessageAsync("conv-next", t => t.Contains(answer, StringComparison.Ordinal), TimeSpan.FromSeconds(60));
    }
}
