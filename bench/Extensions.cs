namespace ClinicBot.Bench;

/// <summary>
/// Extension point for load scenarios whose parts are not in this branch yet. The handoff relay (a patient's message
/// relayed to the staff console over SignalR; target p99 &lt; 50 ms) belongs here: implement a scenario named
/// <see cref="HandoffRelayName"/> (e.g. bench/HandoffRelayScenario.cs: start a handoff, connect a staff client to the
/// hub, time patient POST → message seen by the staff client) and add it to <see cref="Registered"/>. Until then the
/// report says the relay was not measured; it never prints a made-up figure.
/// </summary>
public interface IBenchScenario
{
    /// <summary>Name in the report, e.g. "handoff-relay".</summary>
    string Name { get; }

    /// <summary>Runs against a started bot (ClinicBot wiring) and returns its figures.</summary>
    Task<LoadResult> RunAsync(BenchContext context, CancellationToken cancellationToken);
}

/// <summary>What a scenario gets: the running bot, a shared HTTP client, the run's settings and a log.</summary>
public sealed record BenchContext(BotProcess Bot, HttpClient Http, BenchSettings Settings, TextWriter Log);

public static class BenchScenarios
{
    public const string HandoffRelayName = "handoff-relay";

    /// <summary>Extra scenarios run after the built-in ones, each on a fresh bot. Empty in this branch.</summary>
    public static IReadOnlyList<IBenchScenario> Registered { get; } = [];
}
