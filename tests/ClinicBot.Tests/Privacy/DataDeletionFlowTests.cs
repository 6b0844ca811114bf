using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ClinicBot.Dialogs.Phrasing;
using ClinicBot.Tests.Support;
using Microsoft.Data.Sqlite;

namespace ClinicBot.Tests.Privacy;

/// <summary>
/// "Delete my data": the patient asks, the bot restates and confirms, a request waits for a supervisor (nothing is
/// deleted yet), an agent cannot approve it, a supervisor does (audited), and the patient's state, transcripts,
/// follow-ups and handoffs are gone, another patient's are not, and the patient is told.
/// </summary>
public sealed class DataDeletionFlowTests
{
    [Fact]
    public async Task ASupervisorApprovedRequestDeletesThePatientsDataAndTellsThem()
    {
        await using var sink = await ReplySink.StartAsync();
        using var factory = new ClinicBotFactory(clock: ClinicBotFactory.MondayMorning());
        var client = factory.CreateClient();
        var maria = await factory.SignedInClientAsync("maria", ClinicBotFactory.AgentPassword);
        var sam = await factory.SignedInClientAsync("sam", ClinicBotFactory.SupervisorPassword);
        (await maria.PostAsJsonAsync("/api/staff/presence", new { available = true })).EnsureSuccessStatusCode();

        async Task SayAsync(string conversation, string text, string user = "patient-del") =>
            (await factory.PostActivityAsync(client, sink, conversation, text, userName: "Dana Smith", userId: user)).EnsureSuccessStatusCode();

        // The patient's data: a follow-up (with contact details) in one conversation, a waiting handoff in another.
        await SayAsync("conv-del", "can I bring my dog to my session");
        await SayAsync("conv-del", "yes");
        await SayAsync("conv-del", "dana@example.com");
        await SayAsync("conv-del-2", "can I talk to a real person");
        await sink.WaitForMessageAsync("conv-del-2", t => t.Contains("next in line", StringComparison.Ordinal));
        // Another patient's data stays.
        await SayAsync("conv-keep", "can I bring my dog to my session", "patient-keep");
        await SayAsync("conv-keep", "yes", "patient-keep");

        // Restated and confirmed; a request for staff, nothing deleted yet.
        await SayAsync("conv-del", "please delete my data");
        await sink.WaitForMessageAsync("conv-del", t => t == PrivacyPhrases.ConfirmDeletion);
        await SayAsync("conv-del", "yes");
        await sink.WaitForMessageAsync("conv-del", t => t == PrivacyPhrases.DeletionRequested);
        var database = Path.Combine(factory.DataFolder, "clinicbot.db");
        var before = await CountsAsync(database, "patient-del", ["conv-del", "conv-del-2"]);
        Assert.All(before.Values, count => Assert.True(count > 0, string.Join(", ", before)));

        // Supervisors only.
        var requests = await sam.GetFromJsonAsync<JsonElement>("/api/staff/data-requests");
        var request = Assert.Single(requests.EnumerateArray());
        Assert.Equal("patient-del", request.GetProperty("patientUserId").GetString());
        var id = request.GetProperty("id").GetString()!;
        Assert.Equal(HttpStatusCode.Forbidden, (await maria.PostAsync($"/api/staff/data-requests/{id}/approve", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await maria.GetAsync("/api/staff/data-requests")).StatusCode);
        Assert.Equal(before, await CountsAsync(database, "patient-del", ["conv-del", "conv-del-2"]));

        using var approved = await sam.PostAsync($"/api/staff/data-requests/{id}/approve", null);
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        await sink.WaitForMessageAsync("conv-del", t => t == PrivacyPhrases.DataDeleted);

        var after = await CountsAsync(database, "patient-del", ["conv-del", "conv-del-2"]);
        Assert.All(after, c => Assert.True(c.Value == 0, $"{c.Key} still has {c.Value} rows"));
        var kept = await CountsAsync(database, "patient-keep", ["conv-keep"]);
        Assert.True(kept["transcripts"] > 0 && kept["follow-ups"] > 0 && kept["state"] > 0, string.Join(", ", kept));

        var audit = await sam.GetFromJsonAsync<JsonElement>("/api/staff/audit");
        Assert.Contains(audit.EnumerateArray(), a => a.GetProperty("action").GetString() == "approved data deletion" && a.GetProperty("detail").GetString() == id);

        // Approving twice is refused; the patient starting again starts fresh.
        Assert.Equal(HttpStatusCode.Conflict, (await sam.PostAsync($"/api/staff/data-requests/{id}/approve", null)).StatusCode);
    }

    [Fact]
    public async Task SayingNoDeletesNothingAndCreatesNoRequest()
    {
        await using var sink = await ReplySink.StartAsync();
        using var factory = new ClinicBotFactory();
        var client = factory.CreateClient();
        var sam = await factory.SignedInClientAsync("sam", ClinicBotFactory.SupervisorPassword);
        await factory.PostActivityAsync(client, sink, "conv-no", "erase all my information");
        await sink.WaitForMessageAsync("conv-no", t => t == PrivacyPhrases.ConfirmDeletion);
        await factory.PostActivityAsync(client, sink, "conv-no", "no");
        await sink.WaitForMessageAsync("conv-no", t => t == PrivacyPhrases.DeletionNotRequested);
        Assert.Empty((await sam.GetFromJsonAsync<JsonElement>("/api/staff/data-requests")).EnumerateArray());
    }

    private static async Task<Dictionary<string, long>> CountsAsync(string database, string userId, string[] conversations)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = database, Pooling = false }.ToString());
        await connection.OpenAsync();
        var inList = string.Join(", ", conversations.Select((_, i) => "$c" + i));
        async Task<long> CountAsync(string sql)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            command.Parameters.AddWithValue("$user", userId);
            for (var i = 0; i < conversations.Length; i++)
            {
                command.Parameters.AddWithValue("$c" + i, conversations[i]);
            }

            return (long)(await command.ExecuteScalarAsync())!;
        }

        var counts = new Dictionary<string, long>
        {
            ["transcripts"] = await CountAsync($"SELECT count(*) FROM transcript_messages WHERE conversation_id IN ({inList})"),
            ["follow-ups"] = await CountAsync("SELECT count(*) FROM follow_ups WHERE json_extract(document, '$.patientUserId') = $user"),
            ["state"] = await CountAsync($"SELECT count(*) FROM bot_state WHERE key LIKE '%/users/' || $user OR {string.Join(" OR ", conversations.Select((_, i) => $"key LIKE '%/conversations/' || $c{i}"))}"),
        };
        if (conversations.Length > 1)
        {
            counts["handoffs"] = await CountAsync($"SELECT count(*) FROM handoffs WHERE conversation_id IN ({inList})");
        }

        return counts;
    }
}
