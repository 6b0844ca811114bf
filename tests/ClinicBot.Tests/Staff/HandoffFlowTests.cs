using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ClinicBot.Tests.Support;

namespace ClinicBot.Tests.Staff;

/// <summary>Scenario 09 end to end through the real host: the patient on /api/messages, the staff member on /api/staff.</summary>
#pragma warning disable CA1001 // xunit disposes the factory through IAsyncLifetime.DisposeAsync
public sealed class HandoffFlowTests : IAsyncLifetime
#pragma warning restore CA1001
{
    private readonly ClinicBotFactory _factory = new(clock: ClinicBotFactory.MondayMorning());
    private ReplySink _sink = null!;

    public async Task InitializeAsync() => _sink = await ReplySink.StartAsync();

    public async Task DisposeAsync()
    {
        await _sink.DisposeAsync();
        await _factory.DisposeAsync();
    }

    [Fact]
    public async Task PatientAsksForAPersonAgentAcceptsRepliesAndEndsAndTheBotResumes()
    {
        var patient = _factory.CreateClient();
        var agent = await _factory.SignedInClientAsync("maria", ClinicBotFactory.AgentPassword);
        (await agent.PostAsJsonAsync("/api/staff/presence", new { available = true })).EnsureSuccessStatusCode();

        // 1. The patient asks for a person: the bot says who and what happens next, and the chat is queued with context.
        await Send(patient, "conv-flow", "hi, I'm Dana");
        await Send(patient, "conv-flow", "can I talk to a real person");
        await _sink.WaitForMessageAsync("conv-flow", t => t.Contains("front desk coordinator", StringComparison.Ordinal));
        await _sink.WaitForMessageAsync("conv-flow", t => t.Contains("next in line", StringComparison.Ordinal));

        var queue = await agent.GetFromJsonAsync<JsonElement>("/api/staff/queue");
        var frontDesk = queue.GetProperty("departments").EnumerateArray().Single(d => d.GetProperty("key").GetString() == "front-desk");
        var item = Assert.Single(frontDesk.GetProperty("waiting").EnumerateArray());
        var id = item.GetProperty("id").GetString()!;
        Assert.Equal("conv-flow", item.GetProperty("conversationId").GetString());
        Assert.Equal("Dana", item.GetProperty("patientName").GetString());
        Assert.Equal(1, item.GetProperty("position").GetInt32());

        // While waiting, the patient's messages go to staff, not to the bot.
        await Send(patient, "conv-flow", "it's about my invoice <script>alert(1)</script>");

        // 2. The agent opens the chat: context and the conversation so far, both directions.
        var context = await agent.GetFromJsonAsync<JsonElement>($"/api/staff/handoffs/{id}");
        var transcript = context.GetProperty("transcript").EnumerateArray().Select(l => (Role: l.GetProperty("role").GetString(), Text: l.GetProperty("text").GetString())).ToList();
        Assert.Contains(("Patient", "can I talk to a real person"), transcript);
        Assert.Contains(transcript, l => l.Role == "Bot" && l.Text!.Contains("front desk coordinator", StringComparison.Ordinal));
        Assert.Contains(context.GetProperty("messages").EnumerateArray(), m => m.GetProperty("text").GetString() == "it's about my invoice <script>alert(1)</script>" && m.GetProperty("sender").GetString() == "Patient");

        var accept = await agent.PostAsync($"/api/staff/handoffs/{id}/accept", null);
        Assert.Equal(HttpStatusCode.OK, accept.StatusCode);
        await _sink.WaitForMessageAsync("conv-flow", t => t.StartsWith("Maria, our front desk coordinator, has joined", StringComparison.Ordinal));

        // 3. Messages flow both ways: the agent's reply reaches the patient's channel, marked as staff.
        var sent = await agent.PostAsJsonAsync($"/api/staff/handoffs/{id}/send", new { text = "Hi Dana, I can see your question about the invoice." });
        Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
        var staffMessage = await _sink.WaitForMessageAsync("conv-flow", t => t == "Hi Dana, I can see your question about the invoice.");
        Assert.Equal("staff", ((Newtonsoft.Json.Linq.JObject)staffMessage.ChannelData!).SelectToken("clinicbot.sender")!.ToString());

        var botRepliesBefore = _sink.Texts("conv-flow").Count;
        await Send(patient, "conv-flow", "thanks! where do you park?");
        await WaitForPatientMessageAsync(agent, id, "thanks! where do you park?");
        Assert.Equal(botRepliesBefore, _sink.Texts("conv-flow").Count); // the bot stays quiet while a person has the chat

        (await agent.PostAsJsonAsync($"/api/staff/handoffs/{id}/notes", new { text = "Patient disputes invoice 1234" })).EnsureSuccessStatusCode();

        // 4. The agent ends: the patient is back with the assistant, and the bot answers again.
        var end = await agent.PostAsJsonAsync($"/api/staff/handoffs/{id}/end", new { outcome = "resolved" });
        Assert.Equal(HttpStatusCode.OK, end.StatusCode);
        await _sink.WaitForMessageAsync("conv-flow", t => t.Contains("back with the automated assistant", StringComparison.Ordinal));

        var before = _sink.Texts("conv-flow").Count;
        await Send(patient, "conv-flow", "help");
        await WaitUntilAsync(() => _sink.Texts("conv-flow").Count > before);

        var final = await agent.GetFromJsonAsync<JsonElement>($"/api/staff/handoffs/{id}");
        Assert.Equal("Ended", final.GetProperty("handoff").GetProperty("status").GetString());
        Assert.Equal("resolved", final.GetProperty("handoff").GetProperty("outcome").GetString());
        var messages = final.GetProperty("messages").EnumerateArray().ToList();
        Assert.Contains(messages, m => m.GetProperty("internal").GetBoolean() && m.GetProperty("text").GetString() == "Patient disputes invoice 1234");
        Assert.Contains(messages, m => m.GetProperty("sender").GetString() == "Staff" && !m.GetProperty("internal").GetBoolean());

        var transcriptAfter = final.GetProperty("transcript").EnumerateArray().Select(l => l.GetProperty("role").GetString()).ToList();
        Assert.Contains("Staff", transcriptAfter);
    }

    [Fact]
    public async Task PatientTextIsJsonEncodedInTheApi()
    {
        var patient = _factory.CreateClient();
        var agent = await _factory.SignedInClientAsync("maria", ClinicBotFactory.AgentPassword);
        (await agent.PostAsJsonAsync("/api/staff/presence", new { available = true })).EnsureSuccessStatusCode();
        await Send(patient, "conv-xss", "I need to talk to a person <script>alert('x')</script>");
        await _sink.WaitForMessageAsync("conv-xss", t => t.Contains("in line", StringComparison.Ordinal));

        var raw = await agent.GetStringAsync("/api/staff/queue");
        Assert.DoesNotContain("<script>", raw, StringComparison.Ordinal);
        Assert.Contains("\\u003Cscript\\u003E", raw, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TransferMovesTheChatToTheOtherQueueAndTellsThePatient()
    {
        var patient = _factory.CreateClient();
        var agent = await _factory.SignedInClientAsync("maria", ClinicBotFactory.AgentPassword);
        var supervisor = await _factory.SignedInClientAsync("sam", ClinicBotFactory.SupervisorPassword);
        (await agent.PostAsJsonAsync("/api/staff/presence", new { available = true })).EnsureSuccessStatusCode();
        await Send(patient, "conv-transfer", "can I talk to a real person");
        await _sink.WaitForMessageAsync("conv-transfer", t => t.Contains("in line", StringComparison.Ordinal));
        var id = await SingleWaitingIdAsync(agent, "front-desk");
        (await agent.PostAsync($"/api/staff/handoffs/{id}/accept", null)).EnsureSuccessStatusCode();

        var transfer = await agent.PostAsJsonAsync($"/api/staff/handoffs/{id}/transfer", new { department = "orthopedics", note = "Asks what rehab after knee replacement involves" });
        Assert.Equal(HttpStatusCode.OK, transfer.StatusCode);
        await _sink.WaitForMessageAsync("conv-transfer", t => t.Contains("orthopedic rehabilitation specialist", StringComparison.Ordinal));

        Assert.Equal(id, await SingleWaitingIdAsync(supervisor, "orthopedics"));
        var context = await supervisor.GetFromJsonAsync<JsonElement>($"/api/staff/handoffs/{id}");
        Assert.Equal("Asks what rehab after knee replacement involves", context.GetProperty("handoff").GetProperty("transferNote").GetString());

        // Maria does not take orthopedics chats; the bad department is a 400 with a reason.
        Assert.Equal(HttpStatusCode.Forbidden, (await agent.PostAsync($"/api/staff/handoffs/{id}/accept", null)).StatusCode);
        var bad = await supervisor.PostAsJsonAsync($"/api/staff/handoffs/{id}/transfer", new { department = "nowhere" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("Unknown department", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AfterHoursTheRequestBecomesAFollowUpAndThePatientIsToldTheNextOpening()
    {
        await using var night = new ClinicBotFactory(clock: new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 4, 0, 0, TimeSpan.Zero))); // Monday 23:00 New York
        var patient = night.CreateClient();
        var supervisor = await night.SignedInClientAsync("sam", ClinicBotFactory.SupervisorPassword);
        (await supervisor.PostAsJsonAsync("/api/staff/presence", new { available = true })).EnsureSuccessStatusCode();

        await night.PostActivityAsync(patient, _sink, "conv-night", "can I talk to a real person");
        await _sink.WaitForMessageAsync("conv-night", t => t.Contains("isn't in right now", StringComparison.Ordinal) && t.Contains("tomorrow at 7:00 AM", StringComparison.Ordinal));
        await _sink.WaitForMessageAsync("conv-night", t => t.Contains("get back to you right here by", StringComparison.Ordinal));

        var followUps = await supervisor.GetFromJsonAsync<JsonElement>("/api/staff/follow-ups");
        var followUp = Assert.Single(followUps.EnumerateArray());
        Assert.Equal("front-desk", followUp.GetProperty("department").GetString());
        Assert.Equal("can I talk to a real person", followUp.GetProperty("originalText").GetString());
        var queue = await supervisor.GetFromJsonAsync<JsonElement>("/api/staff/queue");
        Assert.All(queue.GetProperty("departments").EnumerateArray(), d => Assert.Empty(d.GetProperty("waiting").EnumerateArray()));
    }

    private async Task Send(HttpClient patient, string conversationId, string text)
    {
        var response = await _factory.PostActivityAsync(patient, _sink, conversationId, text);
        Assert.True(response.IsSuccessStatusCode, $"/api/messages answered {(int)response.StatusCode}");
    }

    private static async Task<string> SingleWaitingIdAsync(HttpClient staff, string department)
    {
        var queue = await staff.GetFromJsonAsync<JsonElement>($"/api/staff/queue?department={department}");
        return Assert.Single(Assert.Single(queue.GetProperty("departments").EnumerateArray()).GetProperty("waiting").EnumerateArray()).GetProperty("id").GetString()!;
    }

    private static async Task WaitForPatientMessageAsync(HttpClient agent, string id, string text) =>
        await WaitUntilAsync(async () => (await agent.GetFromJsonAsync<JsonElement>($"/api/staff/handoffs/{id}")).GetProperty("messages").EnumerateArray().Any(m => m.GetProperty("text").GetString() == text));

    private static Task WaitUntilAsync(Func<bool> condition) => WaitUntilAsync(() => Task.FromResult(condition()));

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "Timed out waiting for the condition.");
            await Task.Delay(50);
        }
    }
}
