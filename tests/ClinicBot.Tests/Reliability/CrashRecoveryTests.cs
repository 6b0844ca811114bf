using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ClinicBot.Tests.Support;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;
using BotProcess = ClinicBot.Bench.BotProcess;

namespace ClinicBot.Tests.Reliability;

/// <summary>
/// Nothing acknowledged is lost when the bot is killed (SIGKILL) under load: the bot runs as a separate process, patients
/// queue follow-ups and wait for staff, load keeps coming, the process is killed mid-load and restarted on the same data
/// folder. Every message answered 200 is in the transcript store, every follow-up and waiting handoff is still queued
/// and a follow-up answered after the restart reaches the patient. CI runs a few seconds of load; set
/// CLINICBOT_CRASH_SECONDS (e.g. 120) for a longer run:
/// <c>CLINICBOT_CRASH_SECONDS=120 dotnet test tests/ClinicBot.Tests --filter FullyQualifiedName~CrashRecoveryTests</c>.
/// </summary>
public sealed class CrashRecoveryTests(ITestOutputHelper output)
{
    private const int Loaders = 8;

    [Fact]
    public async Task KillingTheBotMidLoadLosesNoAcknowledgedMessageFollowUpOrWaitingHandoff()
    {
        var loadSeconds = int.TryParse(Environment.GetEnvironmentVariable("CLINICBOT_CRASH_SECONDS"), CultureInfo.InvariantCulture, out var s) ? s : 3;
        var folder = ClinicBotFactory.NewDataFolder();
        await using var sink = await ReplySink.StartAsync();
        var acknowledged = new ConcurrentBag<string>();
        var followUpConversations = new List<string>();
        var handoffConversations = new List<string>();
        int attempted = 0, failedAfterKill = 0;

        await using (var bot = await TestBotProcess.StartAsync(folder))
        {
            // Queued follow-ups: an unknown question, restated, confirmed.
            for (var i = 0; i < 3; i++)
            {
                var conversation = $"crash-followup-{i}";
                await SayAsync(bot, sink, conversation, "can I bring my dog to my session", $"patient-f{i}");
                await SayAsync(bot, sink, conversation, "yes", $"patient-f{i}");
                await sink.WaitForMessageAsync(conversation, t => t.Contains("Let me try to find out for you", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
                followUpConversations.Add(conversation);
            }

            // Waiting handoffs: a supervisor is online, so "talk to a person" queues the chat for staff.
            using var sam = await bot.SignedInStaffAsync("sam", ClinicBotFactory.SupervisorPassword);
            (await sam.PostAsJsonAsync("/api/staff/presence", new { available = true })).EnsureSuccessStatusCode();
            for (var i = 0; i < 2; i++)
            {
                var conversation = $"crash-handoff-{i}";
                await SayAsync(bot, sink, conversation, "can I talk to a real person", $"patient-h{i}");
                handoffConversations.Add(conversation);
            }

            var queuedBefore = await WaitingHandoffIdsAsync(sam);
            Assert.True(queuedBefore.Count >= 2, $"two chats wait for staff (got {queuedBefore.Count})");

            // Load: conversations of questions, until the kill.
            using var stop = new CancellationTokenSource();
            var killed = 0;
            var loaders = Enumerable.Range(0, Loaders).Select(loader => Task.Run(async () =>
            {
                using var client = new HttpClient { BaseAddress = new Uri(bot.BaseUrl), Timeout = TimeSpan.FromSeconds(30) };
                for (var n = 0; !stop.IsCancellationRequested; n++)
                {
                    var activityId = $"load-{loader}-{n}";
                    Interlocked.Increment(ref attempted);
                    try
                    {
                        using var response = await bot.PostMessageAsync(sink, $"crash-load-{loader}-{n / 5}", n % 5 == 0 ? "hi" : $"what are your hours on saturday? ({n})", activityId, $"patient-l{loader}", client: client);
                        if (response.StatusCode == HttpStatusCode.OK)
                        {
                            acknowledged.Add(activityId);
                        }
                        else
                        {
                            Assert.Fail($"{activityId}: {response.StatusCode} before the kill");
                        }
                    }
                    catch (HttpRequestException) when (Volatile.Read(ref killed) == 1)
                    {
                        Interlocked.Increment(ref failedAfterKill);
                        return;
                    }
                    catch (TaskCanceledException) when (Volatile.Read(ref killed) == 1)
                    {
                        return;
                    }
                }
            })).ToList();

            await Task.Delay(TimeSpan.FromSeconds(loadSeconds));
            Volatile.Write(ref killed, 1);
            await bot.KillAsync();
            await stop.CancelAsync();
            await Task.WhenAll(loaders);
        }

        output.WriteLine($"{loadSeconds} s of load from {Loaders} clients: {attempted} messages sent, {acknowledged.Count} acknowledged before SIGKILL, {failedAfterKill} cut off by it");
        Assert.True(acknowledged.Count > Loaders, "the load ran");

        // Every acknowledged message is in the transcript store.
        var transcribed = await PatientActivityIdsAsync(Path.Combine(folder, "clinicbot.db"));
        var missing = acknowledged.Where(id => !transcribed.Contains(id)).ToList();
        Assert.True(missing.Count == 0, $"{missing.Count} acknowledged messages are missing from the transcripts: {string.Join(", ", missing.Take(10))}");

        await using (var restarted = await TestBotProcess.StartAsync(folder))
        {
            using var sam = await restarted.SignedInStaffAsync("sam", ClinicBotFactory.SupervisorPassword);

            var followUps = await sam.GetFromJsonAsync<JsonElement>("/api/staff/follow-ups");
            var open = followUps.EnumerateArray().Where(f => f.GetProperty("status").GetString() == "Open").ToList();
            foreach (var patient in new[] { "patient-f0", "patient-f1", "patient-f2" })
            {
                Assert.Contains(open, f => f.GetProperty("patientUserId").GetString() == patient);
            }

            var waiting = await WaitingHandoffIdsAsync(sam);
            Assert.True(waiting.Count >= handoffConversations.Count, $"waiting handoffs after the restart: {waiting.Count}");

            // Still served: a follow-up answered after the restart reaches the patient's channel.
            var followUp = open.First(f => f.GetProperty("patientUserId").GetString() == "patient-f0");
            var answer = await sam.PostAsJsonAsync($"/api/staff/follow-ups/{followUp.GetProperty("id").GetString()}/answer", new { answer = "Service dogs are welcome; pets stay home.", addToKnowledgeBase = false });
            answer.EnsureSuccessStatusCode();
            await sink.WaitForMessageAsync("crash-followup-0", t => t.Contains("Service dogs are welcome", StringComparison.Ordinal), TimeSpan.FromSeconds(30));

            // And the bot goes on answering new messages in old conversations.
            await SayAsync(restarted, sink, "crash-load-0-0", "what are your hours on saturday?", "patient-l0");
        }

        SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
    }

    private static async Task SayAsync(BotProcess bot, ReplySink sink, string conversationId, string text, string userId)
    {
        using var response = await bot.PostMessageAsync(sink, conversationId, text, Guid.NewGuid().ToString("N"), userId);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static async Task<List<string>> WaitingHandoffIdsAsync(HttpClient staff)
    {
        var queue = await staff.GetFromJsonAsync<JsonElement>("/api/staff/queue");
        return queue.GetProperty("departments").EnumerateArray()
            .SelectMany(d => d.GetProperty("waiting").EnumerateArray())
            .Select(w => w.GetProperty("id").GetString()!)
            .ToList();
    }

    private static async Task<HashSet<string>> PatientActivityIdsAsync(string database)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = database, Pooling = false }.ToString());
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT activity_id FROM transcript_messages WHERE role = 'Patient' AND activity_id IS NOT NULL";
        var ids = new HashSet<string>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }
}
