using System.Globalization;

namespace ClinicBot.Bench;

/// <summary>Command line of the bench (see docs/benchmarks.md).</summary>
public sealed record BenchSettings
{
    public string Command { get; init; } = "all";

    public bool Smoke { get; init; }

    public string? ReportPath { get; init; }

    public string? BotDll { get; init; }

    public int Conversations { get; init; } = 32;

    // 15 s: under load the tiered JIT keeps recompiling hot methods for about 10 s after start (libclrjit was 10 % of the
    // bot's samples 16 s after start with a 5 s warm-up, 0.6 % with 15 s); the figures are meant to be the steady state.
    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(15);

    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(15);

    public int DirectLineConversations { get; init; } = 100;

    public TimeSpan DirectLineThinkTime { get; init; } = TimeSpan.FromMilliseconds(600);

    public int SeedSmall { get; init; } = 100;

    public int SeedLarge { get; init; } = 10_000;

    public int GrowthRounds { get; init; } = 2;

    public bool Micro { get; init; } = true;

    public bool Baseline { get; init; } = true;

    /// <summary>Run only these load parts (dialog, knowledge, mixed, growth, directline); empty = all.</summary>
    public IReadOnlySet<string> Only { get; init; } = new HashSet<string>();

    public bool Runs(string part) => Only.Count == 0 || Only.Contains(part);

    public static BenchSettings Parse(string[] args)
    {
        var settings = new BenchSettings();
        var rest = new Queue<string>(args);
        if (rest.TryPeek(out var first) && !first.StartsWith("--", StringComparison.Ordinal))
        {
            settings = settings with { Command = rest.Dequeue() };
        }

        if (args.Contains("--smoke"))
        {
            settings = settings with
            {
                Smoke = true,
                Conversations = 2,
                Warmup = TimeSpan.FromSeconds(1),
                Duration = TimeSpan.FromSeconds(3),
                DirectLineConversations = 2,
                SeedSmall = 10,
                SeedLarge = 200,
                GrowthRounds = 1,
                Micro = false,
            };
        }

        while (rest.TryDequeue(out var arg))
        {
            string Value() => rest.TryDequeue(out var v) ? v : throw new ArgumentException($"{arg} needs a value.");
            double Number() => double.Parse(Value(), CultureInfo.InvariantCulture);
            settings = arg switch
            {
                "--smoke" => settings,
                "--report" => settings with { ReportPath = Value() },
                "--bot-dll" => settings with { BotDll = Path.GetFullPath(Value()) }, // the bot runs in its data folder
                "--conversations" => settings with { Conversations = (int)Number() },
                "--warmup" => settings with { Warmup = TimeSpan.FromSeconds(Number()) },
                "--duration" => settings with { Duration = TimeSpan.FromSeconds(Number()) },
                "--dl-conversations" => settings with { DirectLineConversations = (int)Number() },
                "--dl-think-ms" => settings with { DirectLineThinkTime = TimeSpan.FromMilliseconds(Number()) },
                "--seed-small" => settings with { SeedSmall = (int)Number() },
                "--seed-large" => settings with { SeedLarge = (int)Number() },
                "--growth-rounds" => settings with { GrowthRounds = Math.Max(1, (int)Number()) },
                "--no-micro" => settings with { Micro = false },
                "--no-baseline" => settings with { Baseline = false },
                "--only" => settings with { Only = Value().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet() },
                _ => throw new ArgumentException($"Unknown option {arg}. {Usage}"),
            };
        }

        if (settings.Command is not ("all" or "load" or "micro" or "show"))
        {
            throw new ArgumentException($"Unknown command {settings.Command}. {Usage}");
        }

        return settings;
    }

    public const string Usage =
        "Usage: dotnet run -c Release --project bench -- [all|load|micro|show] [--report PATH] [--smoke] [--conversations 32] " +
        "[--warmup 15] [--duration 15] [--dl-conversations 100] [--dl-think-ms 600] [--seed-small 100] [--seed-large 10000] [--growth-rounds 2] " +
        "[--no-micro] [--no-baseline] [--only dialog,knowledge,mixed,growth,directline,handoff-relay] [--bot-dll PATH]";
}
