using System.Diagnostics;

namespace ClinicBot.Bench;

/// <summary>
/// ClinicBot's benchmark harness. <c>dotnet run -c Release --project bench -- all --report bench/results/latest.md</c>
/// runs the load scripts against the bot as a separate process (stock SDK wiring side by side), the stored-state
/// measurements, the built-in Direct Line run and the BenchmarkDotNet micro-benchmarks, and writes a markdown report.
/// </summary>
public static class BenchProgram
{
    public static async Task<int> Main(string[] args)
    {
        try
        {
            return await RunAsync(args, Console.Out, CancellationToken.None);
        }
        catch (ArgumentException ex)
        {
            Console.Error.WriteLine(ex.Message);
            return 2;
        }
    }

    /// <summary>The whole bench; returns 0 when every run completed (targets met or not), 1 when a run had errors.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter log, CancellationToken cancellationToken)
    {
        var settings = BenchSettings.Parse(args);
        var root = RepositoryRoot();
        var report = new Report(settings, string.Join(' ', args));
        var tempRoot = Path.Combine(Path.GetTempPath(), "clinicbot-bench", Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Directory.CreateDirectory(tempRoot);
        var embeddingCache = Path.Combine(Path.GetTempPath(), "clinicbot-bench-embeddings");

        try
        {
            if (settings.Command is "all" or "load" or "show")
            {
                var botDll = settings.BotDll ?? FindBotDll(root);
                log.WriteLine($"Bot: {botDll}");
                await using var sink = await ReplySink.StartAsync(keepTexts: settings.Command == "show" || settings.Smoke);
                using var http = new HttpClient(new SocketsHttpHandler
                {
                    PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
                    MaxConnectionsPerServer = int.MaxValue,
                    UseProxy = false,
                })
                { Timeout = TimeSpan.FromSeconds(30) };

                async Task<BotProcess> StartBot(string name, bool stock, string? folder = null, IReadOnlyDictionary<string, string>? environment = null) =>
                    await BotProcess.StartAsync(botDll, folder ?? BotProcess.NewDataFolder(tempRoot, name), embeddingCache, stock, log, cancellationToken, environment);

                if (settings.Command == "show")
                {
                    await using var bot = await StartBot("show", stock: false);
                    var runner = new LoadRunner(bot, sink, http, log);
                    foreach (var script in Scripts.All)
                    {
                        log.WriteLine($"== {script.Name}: {script.Description}");
                        foreach (var (said, heard) in await runner.TranscriptAsync(script, "show-" + script.Name, cancellationToken))
                        {
                            log.WriteLine($"patient: {said}");
                            foreach (var text in heard)
                            {
                                log.WriteLine($"    bot: {text.ReplaceLineEndings(" ")}");
                            }
                        }
                    }

                    return 0;
                }

                // (a) dialog: stock SDK wiring, then ClinicBot's, same host, same script, same run.
                if (settings.Baseline && settings.Runs("dialog"))
                {
                    log.WriteLine("dialog script, stock SDK wiring (Bot:CacheConnectorClients=false)");
                    await using var bot = await StartBot("dialog-stock", stock: true);
                    report.Load.Add(await new LoadRunner(bot, sink, http, log).RunAsync(Scripts.Dialog, Report.StockWiring, settings.Conversations, settings.Warmup, settings.Duration, "stock", cancellationToken));
                }

                foreach (var script in Scripts.All.Where(s => settings.Runs(s.Name) || (s == Scripts.Mixed && settings.Runs("growth"))))
                {
                    log.WriteLine($"{script.Name} script, ClinicBot wiring");
                    string database;
                    await using (var bot = await StartBot(script.Name, stock: false))
                    {
                        report.Load.Add(await new LoadRunner(bot, sink, http, log).RunAsync(script, Report.ClinicBotWiring, settings.Conversations, settings.Warmup, settings.Duration, script.Name, cancellationToken));
                        database = bot.DatabasePath;
                    }

                    if (script == Scripts.Mixed)
                    {
                        // (5) bytes of state per conversation after the realistic conversation; then cost growth.
                        report.State = StoredState.Measure(database);
                        log.WriteLine($"  stored state per conversation: average {report.State.TotalAverage:F0} B, max {report.State.TotalMax} B over {report.State.Conversations} conversations");
                        // Alternating sizes, several rounds, median per size: on a shared machine a single pair is mostly noise.
                        var sizes = settings.Runs("growth") ? new[] { settings.SeedSmall, settings.SeedLarge } : [];
                        for (var round = 1; round <= settings.GrowthRounds && sizes.Length > 0; round++)
                        {
                            foreach (var seeded in sizes)
                            {
                                log.WriteLine($"dialog script with {seeded:N0} stored conversations (round {round})");
                                var folder = BotProcess.NewDataFolder(tempRoot, $"growth-{seeded}-{round}");
                                var started = Stopwatch.StartNew();
                                await StoredState.SeedAsync(database, Path.Combine(folder, "clinicbot.db"), seeded, cancellationToken);
                                log.WriteLine($"  seeded {StoredState.CountConversations(Path.Combine(folder, "clinicbot.db")):N0} conversations in {started.Elapsed.TotalSeconds:F1} s");
                                await using var bot = await StartBot($"growth-{seeded}-{round}", stock: false, folder);
                                var result = await new LoadRunner(bot, sink, http, log).RunAsync(Scripts.Dialog, $"{seeded:N0} stored conversations", settings.Conversations, settings.Warmup, settings.Duration, $"growth{seeded}r{round}", cancellationToken);
                                report.Growth.Add((seeded, result));
                            }
                        }
                    }
                }

                // (d) the built-in Direct Line with its WebSocket stream.
                if (settings.Runs("directline"))
                {
                    log.WriteLine($"directline, {settings.DirectLineConversations} conversations");
                    await using var bot = await StartBot("directline", stock: false);
                    report.Load.Add(await new DirectLineRunner(bot, http, log).RunAsync(settings.DirectLineConversations, settings.Warmup, settings.Duration, settings.DirectLineThinkTime, cancellationToken));
                }

                foreach (var scenario in BenchScenarios.Registered.Where(s => settings.Runs(s.Name)))
                {
                    log.WriteLine($"{scenario.Name} (extension scenario)");
                    await using var bot = await StartBot(scenario.Name, stock: false, environment: scenario.Environment);
                    report.Load.Add(await scenario.RunAsync(new BenchContext(bot, http, settings, log, sink), cancellationToken));
                }
            }

            if (settings.Micro && settings.Command is "all" or "micro")
            {
#if DEBUG
                log.WriteLine("  micro-benchmarks skipped: BenchmarkDotNet needs a Release build (dotnet run -c Release).");
#else
                try
                {
                    report.Micro = MicroRunner.Run(Path.Combine(tempRoot, "BenchmarkDotNet.Artifacts"), log);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    report.MicroError = ex.GetType().Name + ": " + ex.Message;
                    log.WriteLine("  micro-benchmarks failed: " + report.MicroError);
                }
#endif
            }
        }
        finally
        {
            try
            {
                Directory.Delete(tempRoot, recursive: true);
            }
            catch (IOException)
            {
            }
        }

        var markdown = report.ToMarkdown();
        var reportPath = settings.ReportPath ?? Path.Combine(root, "bench", "results", "latest.md");
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(reportPath))!);
        await File.WriteAllTextAsync(reportPath, markdown, cancellationToken);
        log.WriteLine();
        log.WriteLine(markdown);
        log.WriteLine($"Report written to {Path.GetFullPath(reportPath)}");
        return report.Load.Any(r => r.Errors > 0) ? 1 : 0;
    }

    /// <summary>The folder holding ClinicBot.sln, found upwards from the bench's binaries or the working directory.</summary>
    public static string RepositoryRoot()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var folder = new DirectoryInfo(start); folder is not null; folder = folder.Parent)
            {
                if (File.Exists(Path.Combine(folder.FullName, "ClinicBot.sln")))
                {
                    return folder.FullName;
                }
            }
        }

        throw new InvalidOperationException("Cannot find the repository root (ClinicBot.sln) from the bench's folder.");
    }

    private static string FindBotDll(string root)
    {
        foreach (var configuration in new[] { "Release", "Debug" })
        {
            var path = Path.Combine(root, "bot", "bin", configuration, "net10.0", "ClinicBot.Bot.dll");
            if (File.Exists(path))
            {
                return path;
            }
        }

        throw new InvalidOperationException("Build the bot first: dotnet build -c Release bot (or pass --bot-dll).");
    }
}
