using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using ClinicBot.Bench.Micro;

namespace ClinicBot.Bench;

/// <summary>BenchmarkDotNet micro-benchmarks, in-process (no generated project to build) with a short job.</summary>
public static class MicroRunner
{
    public sealed record MicroResult(string Name, double MeanMicroseconds, double ErrorMicroseconds, long AllocatedBytes);

    public static IReadOnlyList<MicroResult> Run(string artifactsPath, TextWriter log)
    {
        var job = Job.ShortRun
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithWarmupCount(3)
            .WithIterationCount(5)
            .WithLaunchCount(1);
        var config = ManualConfig.CreateMinimumViable()
            .AddJob(job)
            .AddDiagnoser(MemoryDiagnoser.Default)
            .WithArtifactsPath(artifactsPath)
            .WithOptions(ConfigOptions.DisableLogFile | ConfigOptions.JoinSummary);

        log.WriteLine("  BenchmarkDotNet (in-process, short job)...");
        var summaries = BenchmarkRunner.Run(
            [typeof(RecognizerBenchmarks), typeof(DialogTurnBenchmarks), typeof(StorageBenchmarks), typeof(KnowledgeBaseLoadBenchmarks)],
            config);
        var results = new List<MicroResult>();
        foreach (var summary in summaries)
        {
            foreach (var report in summary.Reports)
            {
                var stats = report.ResultStatistics;
                results.Add(new MicroResult(
                    report.BenchmarkCase.Descriptor.WorkloadMethodDisplayInfo.Trim('\''),
                    stats is null ? double.NaN : stats.Mean / 1000.0,
                    stats is null ? double.NaN : stats.ConfidenceInterval.Margin / 1000.0,
                    report.GcStats.GetBytesAllocatedPerOperation(report.BenchmarkCase) ?? -1));
            }
        }

        foreach (var result in results)
        {
            log.WriteLine($"  {result.Name}: {result.MeanMicroseconds:F1} µs ± {result.ErrorMicroseconds:F1}, {result.AllocatedBytes:N0} B allocated");
        }

        return results;
    }
}
