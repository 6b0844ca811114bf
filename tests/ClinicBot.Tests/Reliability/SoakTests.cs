using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using ClinicBot.Tests.Support;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace ClinicBot.Tests.Reliability;

/// <summary>
/// Soak: N concurrent patients hold conversations on /api/messages against the bot as a separate process for T seconds;
/// every response must be 200 and the process's resident memory must not grow more than 10 % after the warm-up.
/// CI runs 20 s; <c>./scripts/soak.sh</c> runs 10 minutes (CLINICBOT_SOAK_SECONDS, CLINICBOT_SOAK_CONVERSATIONS).
/// </summary>
public sealed class SoakTests(ITestOutputHelper output)
{
    private static readonly string[] Script =
    [
        "hi",
        "what are your hours on saturday?",
        "where can I park?",
        "do you take medicare?",
        "can I bring my dog to my session",
        "no",
        "what should I wear to my first visit?",
        "thanks!",
    ];

    [Fact]
    public async Task ConversationsForAWhileWithoutErrorsOrMemoryGrowth()
    {
        var seconds = Setting("CLINICBOT_SOAK_SECONDS", 20);
        var concurrency = Setting("CLINICBOT_SOAK_CONVERSATIONS", 8);
        var sampleEvery = TimeSpan.FromSeconds(Math.Clamp(seconds / 5, 2, 10));
        var warmUp = TimeSpan.FromSeconds(seconds * 0.4);
        var folder = ClinicBotFactory.NewDataFolder();
        await using var sink = await ReplySink.StartAsync();
        var errors = new ConcurrentQueue<string>();
        var samples = new List<(TimeSpan At, long Rss)>();
        long turns = 0;

        await using (var bot = await TestBotProcess.StartAsync(folder))
        {
            var started = DateTime.UtcNow;
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
            var patients = Enumerable.Range(0, concurrency).Select(patient => Task.Run(async () =>
            {
                using var client = new HttpClient { BaseAddress = new Uri(bot.BaseUrl), Timeout = TimeSpan.FromSeconds(30) };
                for (var n = 0; !stop.IsCancellationRequested; n++)
                {
                    var conversation = $"soak-{patient}-{n / Script.Length}";
                    try
                    {
                        using var response = await bot.PostMessageAsync(sink, conversation, Script[n % Script.Length], $"soak-{patient}-{n}", $"soak-patient-{patient}", client: client);
                        if (response.StatusCode != HttpStatusCode.OK)
                        {
                            errors.Enqueue($"{conversation}: {(int)response.StatusCode}");
                        }

                        Interlocked.Increment(ref turns);
                    }
                    catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                    {
                        errors.Enqueue($"{conversation}: {ex.GetType().Name}");
                    }
                }
            })).ToList();

            while (!stop.IsCancellationRequested)
            {
                samples.Add((DateTime.UtcNow - started, bot.ResidentBytes()));
                try
                {
                    await Task.Delay(sampleEvery, stop.Token);
                }
                catch (OperationCanceledException)
                {
                }
            }

            await Task.WhenAll(patients);
            samples.Add((DateTime.UtcNow - started, bot.ResidentBytes()));
            Assert.False(bot.HasExited, "the bot is still running");
        }

        var afterWarmUp = samples.Where(s => s.At >= warmUp).ToList();
        var baseline = afterWarmUp[0].Rss;
        var peak = afterWarmUp.Max(s => s.Rss);
        var growth = (double)(afterWarmUp[^1].Rss - baseline) / baseline;
        output.WriteLine($"soak: {seconds} s, {concurrency} concurrent conversations, {turns} turns ({turns / (double)seconds:F0}/s), {errors.Count} errors");
        output.WriteLine("RSS MB: " + string.Join(", ", samples.Select(s => $"{s.At.TotalSeconds:F0}s={s.Rss / 1048576.0:F0}")));
        output.WriteLine($"after warm-up ({warmUp.TotalSeconds:F0} s): baseline {baseline / 1048576.0:F0} MB, last {afterWarmUp[^1].Rss / 1048576.0:F0} MB ({growth:P1}), peak {peak / 1048576.0:F0} MB");

        Assert.True(errors.IsEmpty, $"{errors.Count} errors: {string.Join("; ", errors.Take(10))}");
        Assert.True(turns > concurrency, "the load ran");
        Assert.True(growth <= 0.10, $"resident memory grew {growth:P1} after the warm-up");

        SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
    }

    private static int Setting(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), CultureInfo.InvariantCulture, out var value) && value > 0 ? value : fallback;
}
