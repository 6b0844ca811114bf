using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace ClinicBot.Bench;

/// <summary>The markdown report: load figures, ratios, stored state, cost growth, micro-benchmarks and targets.</summary>
public sealed class Report(BenchSettings settings, string arguments)
{
    public const string StockWiring = "stock SDK wiring (baseline)";
    public const string ClinicBotWiring = "ClinicBot";

    // Measured earlier on this machine (2 cores, loopback, echo bot with a counter in conversation state, 32
    // conversations, replies over HTTP to a local connector); not re-run by this bench (no Node.js SDK here).
    public const double JavaScriptSdkTurnsPerSecond = 1048;
    public const double JavaScriptSdkP99 = 69;

    public List<LoadResult> Load { get; } = [];

    public List<(int Seeded, LoadResult Result)> Growth { get; } = [];

    public StateSizes? State { get; set; }

    public IReadOnlyList<MicroRunner.MicroResult>? Micro { get; set; }

    public string? MicroError { get; set; }

    public LoadResult? Find(string name, string wiring) => Load.FirstOrDefault(r => r.Name == name && r.Wiring == wiring);

    public string ToMarkdown()
    {
        var md = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        md.AppendLine("# ClinicBot benchmark report");
        md.AppendLine();
        md.AppendLine(c, $"- When: {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC{(settings.Smoke ? " — **smoke run (tiny numbers, not figures)**" : string.Empty)}");
        md.AppendLine(c, $"- Machine: {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, .NET {Environment.Version}; load generator and bot share the cores");
        md.AppendLine(c, $"- Command: `bench {arguments}`");
        md.AppendLine(c, $"- Load: {settings.Conversations} concurrent conversations, a warm-up of at least {settings.Warmup.TotalSeconds:0.#} s and until the bot's JIT has settled (column warm-up s), then {settings.Duration.TotalSeconds:0.#} s measured per run (column host steal %: the CPU time the hypervisor gave other guests meanwhile; a high figure means a busy host; column bot alloc KB/turn: the bot's own `alloc-rate` counter over the window, per turn, a figure the host's load hardly moves); every run is a fresh bot process (`dotnet ClinicBot.Bot.dll`, Release, SQLite in a new temp folder)");
        md.AppendLine();

        md.AppendLine("## Load");
        md.AppendLine();
        md.AppendLine("| script | wiring | conversations | turns/s | p50 ms | p95 ms | p99 ms | bot CPU ms/turn | bot alloc KB/turn | bot peak RSS MB | errors | unexpected replies | warm-up s | host steal % |");
        md.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in Load)
        {
            md.AppendLine(c, $"| {r.Name} | {r.Wiring} | {r.Conversations} | {Number(r.TurnsPerSecond, 0)} | {Number(r.P50, 1)} | {Number(r.P95, 1)} | {Number(r.P99, 1)} | {Number(r.CpuMsPerTurn, 2)} | {Number(r.AllocatedBytesPerTurn / 1024, 1)} | {r.PeakRssBytes / 1048576.0:F0} | {r.Errors} | {r.UnexpectedReplies} | {Number(r.WarmupSeconds, 0)} | {Number(r.HostStealPercent, 0)} |");
        }

        md.AppendLine();
        foreach (var r in Load.Where(r => r.FirstProblem is not null))
        {
            md.AppendLine(c, $"- {r.Name} ({r.Wiring}) first problem: {r.FirstProblem}");
        }

        md.AppendLine(c, $"- {BenchScenarios.HandoffRelayName}: {(Load.Any(r => r.Name == BenchScenarios.HandoffRelayName) ? "see the table" : "**not measured** — the staff console (SignalR) is not in this branch; the scenario plugs in at `bench/Extensions.cs` (`IBenchScenario`, `BenchScenarios.Registered`)")}.");
        md.AppendLine();

        var stock = Find("dialog", StockWiring);
        var ours = Find("dialog", ClinicBotWiring);
        md.AppendLine("## Dialog script: ratios");
        md.AppendLine();
        if (ours is not null)
        {
            if (stock is not null)
            {
                md.AppendLine(c, $"- ClinicBot / stock SDK wiring, same run: **{ours.TurnsPerSecond / stock.TurnsPerSecond:F1}x** turns/s ({Number(ours.TurnsPerSecond, 0)} vs {Number(stock.TurnsPerSecond, 0)}); p99 {Number(ours.P99, 1)} ms vs {Number(stock.P99, 1)} ms; CPU/turn {Number(ours.CpuMsPerTurn, 2)} ms vs {Number(stock.CpuMsPerTurn, 2)} ms");
            }

            md.AppendLine(c, $"- ClinicBot / Bot Framework JS 4.23.3 reference ({JavaScriptSdkTurnsPerSecond:N0} turns/s, p99 {JavaScriptSdkP99} ms, an echo bot, measured earlier on this machine, not re-run here): **{ours.TurnsPerSecond / JavaScriptSdkTurnsPerSecond:F1}x** — note ClinicBot runs a real dialog turn, not an echo");
        }

        md.AppendLine();
        if (State is not null)
        {
            md.AppendLine("## Stored state per conversation (after the mixed script)");
            md.AppendLine();
            md.AppendLine("| rows | conversation state avg / max B | user state avg / max B | per conversation (both) avg / max B |");
            md.AppendLine("|---:|---:|---:|---:|");
            md.AppendLine(c, $"| {State.Conversations} | {State.ConversationAverage:F0} / {State.ConversationMax} | {State.UserAverage:F0} / {State.UserMax} | {State.TotalAverage:F0} / {State.TotalMax} |");
            md.AppendLine();
            md.AppendLine("Bytes are `length(CAST(document AS BLOB))` of the `bot_state` rows (JSON, UTF-8); no transcript is kept in bot state.");
            md.AppendLine();
        }

        if (GrowthSummary() is { } growth)
        {
            md.AppendLine("## Cost growth (dialog script)");
            md.AppendLine();
            md.AppendLine("| stored conversations | turns/s (median) | p99 ms (median) | runs (turns/s) |");
            md.AppendLine("|---:|---:|---:|---|");
            foreach (var (seeded, turns, p99, runs) in new[] { growth.Small, growth.Large })
            {
                md.AppendLine(c, $"| {seeded:N0} | {Number(turns, 0)} | {Number(p99, 1)} | {runs} |");
            }

            md.AppendLine();
            md.AppendLine(c, $"Ratio {growth.Large.Seeded:N0} / {growth.Small.Seeded:N0}: **{growth.Ratio:P0}** of the turns/s (medians; sizes alternate run by run). Seeded through the bot's own SqliteStorage with copies of a real conversation from the mixed run.");
            md.AppendLine();
        }

        if (Micro is { Count: > 0 })
        {
            md.AppendLine("## Micro-benchmarks (BenchmarkDotNet 0.15.8, in-process, short job)");
            md.AppendLine();
            md.AppendLine("| benchmark | mean µs | ± (99.9% CI) µs | allocated B/op |");
            md.AppendLine("|---|---:|---:|---:|");
            foreach (var m in Micro)
            {
                md.AppendLine(c, $"| {m.Name} | {Number(m.MeanMicroseconds, 1)} | {Number(m.ErrorMicroseconds, 1)} | {m.AllocatedBytes:N0} |");
            }

            md.AppendLine();
        }

        if (MicroError is not null)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"Micro-benchmarks failed: {MicroError}");
            md.AppendLine();
        }

        md.AppendLine("## Targets");
        md.AppendLine();
        md.AppendLine("| target | figure | met? |");
        md.AppendLine("|---|---|---|");
        foreach (var (target, figure, met) in Targets())
        {
            md.AppendLine(c, $"| {target} | {figure} | {(settings.Smoke ? "n/a (smoke)" : met switch { true => "met", false => "**missed**", null => "not measured" })} |");
        }

        return md.ToString();
    }

    private IEnumerable<(string Target, string Figure, bool? Met)> Targets()
    {
        var c = CultureInfo.InvariantCulture;
        var dialog = Find("dialog", ClinicBotWiring);
        var stock = Find("dialog", StockWiring);
        var knowledge = Find("knowledge", ClinicBotWiring);
        var directLine = Find("directline", "built-in Direct Line + WebSocket");
        var relay = Load.FirstOrDefault(r => r.Name == BenchScenarios.HandoffRelayName);
        yield return ($"dialog ≥ 2,500 turns/s, p99 < 30 ms at {settings.Conversations} conversations", dialog is null ? "—" : $"{Number(dialog.TurnsPerSecond, 0)} turns/s, p99 {Number(dialog.P99, 1)} ms", dialog is null ? null : dialog.TurnsPerSecond >= 2500 && dialog.P99 < 30);
        yield return ("dialog > 2x the JS SDK (reference 1,048 turns/s)", dialog is null ? "—" : string.Create(c, $"{dialog.TurnsPerSecond / JavaScriptSdkTurnsPerSecond:F1}x"), dialog is null ? null : dialog.TurnsPerSecond > 2 * JavaScriptSdkTurnsPerSecond);
        yield return ("dialog > 15x the stock .NET wiring, same run", dialog is null || stock is null ? "—" : string.Create(c, $"{dialog.TurnsPerSecond / stock.TurnsPerSecond:F1}x"), dialog is null || stock is null ? null : dialog.TurnsPerSecond > 15 * stock.TurnsPerSecond);
        yield return ("knowledge ≥ 300 turns/s, p99 < 80 ms", knowledge is null ? "—" : $"{Number(knowledge.TurnsPerSecond, 0)} turns/s, p99 {Number(knowledge.P99, 1)} ms", knowledge is null ? null : knowledge.TurnsPerSecond >= 300 && knowledge.P99 < 80);
        yield return ($"built-in Direct Line round trip p99 < 30 ms at {settings.DirectLineConversations} conversations", directLine is null ? "—" : $"p99 {Number(directLine.P99, 1)} ms ({Number(directLine.TurnsPerSecond, 0)} turns/s)", directLine is null ? null : directLine.P99 < 30);
        yield return ("handoff relay p99 < 50 ms", relay is null ? "not in this branch (extension point)" : $"p99 {Number(relay.P99, 1)} ms", relay is null ? null : relay.P99 < 50);
        var ours = Load.Where(r => r.Wiring != StockWiring).ToList();
        var peak = ours.Count == 0 ? 0 : ours.Max(r => r.PeakRssBytes);
        yield return ("peak RSS < 500 MB with the model loaded", ours.Count == 0 ? "—" : $"{peak / 1048576.0:F0} MB (max over ClinicBot runs)", ours.Count == 0 ? null : peak < 500L * 1024 * 1024);
        yield return ("state < 4 KB per conversation", State is null ? "—" : $"avg {State.TotalAverage:F0} B, max {State.TotalMax} B", State is null ? null : State.TotalMax < 4096);
        if (GrowthSummary() is { } growth)
        {
            yield return ($"turns/s at {growth.Large.Seeded:N0} stored conversations within 10% of {growth.Small.Seeded:N0}", growth.Ratio.ToString("P0", c), growth.Ratio >= 0.9);
        }
        else
        {
            yield return ("turns/s at 10,000 stored conversations within 10% of 100", "—", null);
        }
    }

    private ((int Seeded, double TurnsPerSecond, double P99, string Runs) Small, (int Seeded, double TurnsPerSecond, double P99, string Runs) Large, double Ratio)? GrowthSummary()
    {
        var sizes = Growth.Select(g => g.Seeded).Distinct().OrderBy(s => s).ToList();
        if (sizes.Count != 2)
        {
            return null;
        }

        (int, double, double, string) Summary(int seeded)
        {
            var runs = Growth.Where(g => g.Seeded == seeded).Select(g => g.Result).ToList();
            return (seeded, Median(runs.Select(r => r.TurnsPerSecond)), Median(runs.Select(r => r.P99)), string.Join(", ", runs.Select(r => Number(r.TurnsPerSecond, 0))));
        }

        var small = Summary(sizes[0]);
        var large = Summary(sizes[1]);
        return (small, large, large.Item2 / small.Item2);
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.OrderBy(v => v).ToList();
        return sorted.Count == 0 ? double.NaN : sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static string Number(double value, int decimals) =>
        double.IsNaN(value) ? "—" : value.ToString("N" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
}
