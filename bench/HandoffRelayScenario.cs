using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;

namespace ClinicBot.Bench;

/// <summary>
/// The handoff relay: patients who asked for a person keep writing; each message is timed from the start of
/// its POST to /api/messages until the signed-in agent's SignalR connection receives it (target p99 under 50 ms).
/// </summary>
public sealed class HandoffRelayScenario : IBenchScenario
{
    private const string AgentUser = "bench-agent";
    private const string AgentPassword = "bench-agent-password-1";

    public string Name => BenchScenarios.HandoffRelayName;

    public IReadOnlyDictionary<string, string> Environment { get; } = BuildEnvironment();

    public async Task<LoadResult> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var conversations = Math.Max(1, Math.Min(context.Settings.Conversations, 16));
        var cookies = new CookieContainer();
        using var staffHandler = new HttpClientHandler { CookieContainer = cookies };
        using var staff = new HttpClient(staffHandler) { BaseAddress = new Uri(context.Bot.BaseUrl) };
        var signIn = await staff.PostAsJsonAsync("/api/staff/sign-in", new { userName = AgentUser, password = AgentPassword }, cancellationToken);
        signIn.EnsureSuccessStatusCode();
        var csrf = (await signIn.Content.ReadFromJsonAsync<JsonElement>(cancellationToken)).GetProperty("csrfToken").GetString();
        staff.DefaultRequestHeaders.Add("X-CSRF-TOKEN", csrf);

        var waiting = new ConcurrentQueue<string>();
        var arrived = new ConcurrentDictionary<string, TaskCompletionSource>(StringComparer.Ordinal);
        await using var hub = new HubConnectionBuilder()
            .WithUrl(context.Bot.BaseUrl + "/staff/hub", options => options.Cookies = cookies)
            .Build();
        hub.On<JsonElement>("handoffChanged", change =>
        {
            if (change.GetProperty("status").GetString() == "Waiting")
            {
                waiting.Enqueue(change.GetProperty("id").GetString()!);
            }
        });
        hub.On<JsonElement>("message", message =>
        {
            if (message.TryGetProperty("text", out var text) && arrived.TryGetValue(text.GetString() ?? string.Empty, out var done))
            {
                done.TrySetResult();
            }
        });
        await hub.StartAsync(cancellationToken);

        // Each patient asks for a person; the agent accepts and watches the chat, as the console does.
        for (var i = 0; i < conversations; i++)
        {
            await PostAsync(context, $"relay-{i}", "can I talk to a real person", cancellationToken);
            var id = await DequeueAsync(waiting, cancellationToken);
            (await staff.PostAsync($"/api/staff/handoffs/{id}/accept", null, cancellationToken)).EnsureSuccessStatusCode();
            await hub.InvokeAsync<bool>("Watch", id, cancellationToken);
        }

        var latencies = new ConcurrentBag<double>();
        long errors = 0;
        string? firstProblem = null;
        var clock = Stopwatch.StartNew();
        var window = new MeasurementWindow(clock);
        var measuring = window.RunAsync(context.Bot, context.Settings.Warmup, context.Settings.Duration, cancellationToken);
        await Task.WhenAll(Enumerable.Range(0, conversations).Select(async i =>
        {
            for (var k = 0; !window.IsOver; k++)
            {
                var text = $"relay message {i}-{k}";
                var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                arrived[text] = done;
                var sent = clock.Elapsed;
                try
                {
                    await PostAsync(context, $"relay-{i}", text, cancellationToken);
                    await done.Task.WaitAsync(TimeSpan.FromSeconds(10), cancellationToken);
                    var seen = clock.Elapsed;
                    if (window.Contains(sent, seen))
                    {
                        latencies.Add((seen - sent).TotalMilliseconds);
                    }
                }
                catch (Exception ex) when (ex is TimeoutException or HttpRequestException)
                {
                    Interlocked.Increment(ref errors);
                    firstProblem ??= ex.GetType().Name + ": " + ex.Message;
                }
                finally
                {
                    arrived.TryRemove(text, out _);
                }
            }
        }));

        var (cpu, seconds) = await measuring;
        return window.Annotate(LoadResult.From(Name, "built-in console (SignalR)", conversations, [.. latencies], seconds, cpu, context.Bot.PeakRssBytes(), errors, 0, firstProblem));
    }

    private static async Task PostAsync(BenchContext context, string conversationId, string text, CancellationToken cancellationToken)
    {
        var activity = JsonSerializer.Serialize(new
        {
            type = "message",
            id = Guid.NewGuid().ToString("N"),
            channelId = "emulator",
            serviceUrl = context.Sink.ServiceUrl,
            conversation = new { id = conversationId },
            from = new { id = "user-" + conversationId, name = "Pat Bench" },
            recipient = new { id = "bot" },
            text,
        });
        using var content = new StringContent(activity, Encoding.UTF8, "application/json");
        using var response = await context.Http.PostAsync(context.Bot.BaseUrl + "/api/messages", content, cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    private static async Task<string> DequeueAsync(ConcurrentQueue<string> queue, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(15))
        {
            if (queue.TryDequeue(out var id))
            {
                return id;
            }

            await Task.Delay(10, cancellationToken);
        }

        throw new TimeoutException("The handoff never reached the staff console's queue.");
    }

    private static Dictionary<string, string> BuildEnvironment()
    {
        var environment = new Dictionary<string, string>
        {
            ["Staff__SeedAccounts__0__UserName"] = AgentUser,
            ["Staff__SeedAccounts__0__DisplayName"] = "Bench Agent",
            ["Staff__SeedAccounts__0__Role"] = "supervisor",
            ["Staff__SeedAccounts__0__Departments__0"] = "*",
            ["Staff__SeedAccounts__0__Password"] = AgentPassword,
        };

        // Open around the clock, so the bench measures a live handoff whatever time it runs.
        foreach (var day in Enum.GetNames<DayOfWeek>())
        {
            environment[$"ClinicHours__Hours__{day}"] = "00:00-23:59";
        }

        return environment;
    }
}
