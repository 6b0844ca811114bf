namespace ClinicBot.Bench;

/// <summary>A load scenario that needs more than the scripted conversations (e.g. a staff client on SignalR).</summary>
public interface IBenchScenario
{
    /// <summary>Name in the report, e.g. "handoff-relay".</summary>
    string Name { get; }

    /// <summary>Extra environment for the bot process (seeded staff accounts, opening hours).</summary>
    IReadOnlyDictionary<string, string> Environment { get; }

    /// <summary>Runs against a started bot (ClinicBot wiring) and returns its figures.</summary>
    Task<LoadResult> RunAsync(BenchContext context, CancellationToken cancellationToken);
}

/// <summary>What a scenario gets: the running bot, a shared HTTP client, the run's settings and a log.</summary>
public sealed record BenchContext(BotProcess Bot, HttpClient Http, BenchSettings Settings, TextWriter Log, ReplySink Sink);

public static class BenchScenarios
{
    public const string HandoffRelayName = "handoff-relay";

    /// <summary>Extra scenarios run after the built-in ones, each on a fresh bot.</summary>
    public static IReadOnlyList<IBenchScenario> Registered { get; } = [new HandoffRelayScenario()];
}
