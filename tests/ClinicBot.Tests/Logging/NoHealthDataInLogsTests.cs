using System.Net.Http.Json;
using System.Text.Json;
using ClinicBot.Tests.Support;
using Xunit.Abstractions;

namespace ClinicBot.Tests.Logging;

/// <summary>
/// Every log line of a whole conversation through the real host, at Trace level for every category (ASP.NET Core,
/// HttpClient, Bot Builder included): no message text, name, phone, email, date of birth or token appears.
/// </summary>
public sealed class NoHealthDataInLogsTests(ITestOutputHelper output)
{
    private const string Name = "Dana Quirkshaw";
    private const string Question = "my son has a deployed hinge brace, do you do pediatric PT for that?";
    private const string Email = "dana.quirkshaw@example.com";
    private const string Phone = "617-555-0142";
    private const string DateOfBirth = "03/14/1979";
    private const string StaffReply = "Hi Dana, I found your file and can help with the hinge brace question.";

    [Fact]
    public async Task AFullConversationLeavesNoPatientDataOrTokensInAnyLogLine()
    {
        await using var sink = await ReplySink.StartAsync();
        using var factory = new ClinicBotFactory(clock: ClinicBotFactory.MondayMorning(), settings: new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Trace",
            ["Logging:LogLevel:Microsoft"] = "Trace",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace",
            ["Logging:LogLevel:Microsoft.Bot"] = "Trace",
            ["Logging:LogLevel:System"] = "Trace",
        });
        var patient = factory.CreateClient();
        var agent = await factory.SignedInClientAsync("maria", ClinicBotFactory.AgentPassword);
        (await agent.PostAsJsonAsync("/api/staff/presence", new { available = true })).EnsureSuccessStatusCode();

        async Task SayAsync(string text) => (await factory.PostActivityAsync(patient, sink, "conv-logs", text, userName: Name, userId: "patient-logs")).EnsureSuccessStatusCode();

        await SayAsync("hi");
        await SayAsync(Question);
        await SayAsync("yes");
        await SayAsync($"{Email} or {Phone}");
        await sink.WaitForMessageAsync("conv-logs", t => t.Contains("0142", StringComparison.Ordinal) || t.Contains(Email, StringComparison.Ordinal));
        await SayAsync("when is my next appointment?");
        await SayAsync(Name);
        await SayAsync(DateOfBirth);
        await SayAsync(Name);
        await SayAsync(DateOfBirth);
        await SayAsync(Name);
        await SayAsync(DateOfBirth);

        // Not verified three times: handed to the front desk. The agent opens, accepts and replies.
        var queue = await agent.GetFromJsonAsync<JsonElement>("/api/staff/queue");
        var waiting = queue.GetProperty("departments").EnumerateArray().SelectMany(d => d.GetProperty("waiting").EnumerateArray()).ToList();
        var handoffId = Assert.Single(waiting).GetProperty("id").GetString()!;
        (await agent.GetAsync($"/api/staff/handoffs/{handoffId}")).EnsureSuccessStatusCode();
        (await agent.PostAsync($"/api/staff/handoffs/{handoffId}/accept", null)).EnsureSuccessStatusCode();
        (await agent.PostAsJsonAsync($"/api/staff/handoffs/{handoffId}/send", new { text = StaffReply })).EnsureSuccessStatusCode();
        await sink.WaitForMessageAsync("conv-logs", t => t.Contains("hinge brace question", StringComparison.Ordinal));
        await SayAsync("thank you so much, my knee still hurts");
        (await agent.GetAsync("/api/staff/follow-ups")).EnsureSuccessStatusCode();

        // The Direct Line stream URL carries its token in the query string.
        using var directLine = factory.DirectLine();
        var conversation = await directLine.StartConversationAsync();
        var streamToken = (string)conversation["token"]!;
        await directLine.Http.GetAsync($"/v3/directline/conversations/{(string)conversation["conversationId"]!}/stream?t={Uri.EscapeDataString(streamToken)}");

        var lines = factory.Logs.Lines.ToList();
        output.WriteLine($"{lines.Count} log lines captured");
        Assert.True(lines.Count > 50, "Trace logging was on");
        string[] secrets =
        [
            "Quirkshaw", Question, "deployed hinge", Email, Phone, "555-0142", DateOfBirth, "1979", StaffReply, "knee still hurts",
            streamToken, ClinicBotFactory.AgentPassword,
        ];
        var leaks = lines.Where(line => secrets.Any(s => line.Contains(s, StringComparison.OrdinalIgnoreCase))).ToList();
        foreach (var leak in leaks.Take(20))
        {
            output.WriteLine(leak);
        }

        Assert.Empty(leaks);
    }
}
