using System.Text.RegularExpressions;
using ClinicBot.Bench;
using ClinicBot.Bench.Micro;

namespace ClinicBot.Tests.Bench;

/// <summary>
/// The benchmark harness in its smoke mode (two conversations, a few turns, no BenchmarkDotNet) against the real bot
/// started as a separate process: every script must produce figures. No timing is asserted: this only keeps the
/// bench working.
/// </summary>
[Collection(BenchCollection.Name)]
public sealed class BenchSmokeTests
{
    [Fact]
    public async Task Smoke_run_reports_figures_for_every_script()
    {
#if DEBUG
        const string configuration = "Debug";
#else
        const string configuration = "Release";
#endif
        var root = BenchProgram.RepositoryRoot();
        var botDll = Path.Combine(root, "bot", "bin", configuration, "net10.0", "ClinicBot.Bot.dll");
        Assert.True(File.Exists(botDll), $"The bot is built with the tests: {botDll}");
        var reportPath = Path.Combine(Path.GetTempPath(), $"clinicbot-bench-smoke-{Guid.NewGuid():N}.md");
        using var log = new StringWriter();

        try
        {
            var exitCode = await BenchProgram.RunAsync(["load", "--smoke", "--report", reportPath, "--bot-dll", botDll], log, CancellationToken.None);

            Assert.True(exitCode == 0, log.ToString());
            var report = await File.ReadAllTextAsync(reportPath);
            foreach (var (script, wiring) in new[]
            {
                ("dialog", Report.StockWiring),
                ("dialog", Report.ClinicBotWiring),
                ("knowledge", Report.ClinicBotWiring),
                ("mixed", Report.ClinicBotWiring),
                ("directline", "built-in Direct Line + WebSocket"),
                ("handoff-relay", "built-in console (SignalR)"),
            })
            {
                // cells: conversations | turns/s | p50 | p95 | p99 | CPU ms/turn | alloc KB/turn | RSS MB | errors | unexpected replies | warm-up s | host steal %
                var row = Regex.Match(report, $@"^\| {script} \| {Regex.Escape(wiring)} \| (?<cells>.*)\|$", RegexOptions.Multiline);
                Assert.True(row.Success, $"No row for {script} ({wiring}):\n{report}");
                var cells = row.Groups["cells"].Value.Split('|', StringSplitOptions.TrimEntries);
                Assert.True(double.Parse(cells[1], System.Globalization.CultureInfo.InvariantCulture) > 0, $"{script}: no turns/s\n{report}");
                foreach (var cell in cells[2..7])
                {
                    Assert.Matches(@"^[\d,]+(\.\d+)?$", cell);
                }

                Assert.Equal("0", cells[8]); // errors
                Assert.Equal("0", cells[9]); // unexpected replies
                if (File.Exists("/proc/stat"))
                {
                    Assert.Matches(@"^\d+$", cells[11]); // host steal %
                }

                // The bot's own allocation counter, read over EventPipe: every run allocates, so a number above zero.
                Assert.True(double.TryParse(cells[7], System.Globalization.CultureInfo.InvariantCulture, out var allocated) && allocated > 0, $"{script}: no allocation figure '{cells[7]}'\n{report}");
            }

            Assert.Matches(@"\| \d+ \| \d+ / \d+ \| \d+ / \d+ \| \d+ / \d+ \|", report); // stored state
            Assert.Contains("## Cost growth", report);
        }
        finally
        {
            File.Delete(reportPath);
        }
    }
}

/// <summary>
/// The in-process micro-benchmarks are only run in Release by BenchmarkDotNet, where a failed setup becomes a dash in
/// the report; this keeps the dialog one's wiring (shared with BotHarness) resolving in every test run.
/// </summary>
public sealed class MicroBenchmarkSmokeTests
{
    [Fact]
    public async Task The_dialog_turn_benchmark_sets_up_and_runs_a_turn()
    {
        var benchmark = new DialogTurnBenchmarks();
        benchmark.Setup();
        try
        {
            await benchmark.Turn();
        }
        finally
        {
            benchmark.Cleanup();
        }
    }
}

/// <summary>The smoke run starts seven bot processes; it runs alone, after the parallel tests, so it neither slows them nor starves.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class BenchCollection
{
    public const string Name = "Benchmark smoke run";
}
