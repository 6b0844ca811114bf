namespace ClinicBot.Dialogs.Middleware;

/// <summary>The outcome of claiming a delivery: the first (process it) or a redelivery (skip it; <see cref="Result"/> is what the first one recorded).</summary>
public readonly record struct DeliveryClaim(bool IsFirst, string? Result)
{
    public static DeliveryClaim First => new(true, null);

    public static DeliveryClaim Duplicate(string? result) => new(false, result);
}

/// <summary>
/// Remembers which channel deliveries were processed, so a redelivered activity (channels retry) runs once.
/// Keys are opaque (e.g. <c>channelId|conversationId|activityId</c>). A claim is completed when its turn finished
/// and released when it failed; an incomplete claim left by a crashed process can be claimed again, so a crash
/// loses nothing. The host provides the store (durable in SQLite).
/// </summary>
public interface IActivityDeduplicator
{
    /// <summary>Claims the key; a duplicate when it was completed, or is being processed by this process right now.</summary>
    Task<DeliveryClaim> ClaimAsync(string key, CancellationToken cancellationToken);

    /// <summary>Marks the claim processed, with an optional result (e.g. the id given to the activity) for duplicates.</summary>
    Task CompleteAsync(string key, string? result, CancellationToken cancellationToken);

    /// <summary>Forgets an unfinished claim (the turn failed), so the channel's retry is processed.</summary>
    Task ReleaseAsync(string key, CancellationToken cancellationToken);
}
