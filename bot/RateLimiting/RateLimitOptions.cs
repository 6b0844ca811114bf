using System.ComponentModel.DataAnnotations;

namespace ClinicBot.Bot.RateLimiting;

/// <summary>
/// Limits on the public endpoints (section <c>RateLimits</c>). Past a limit the caller gets 429 with Retry-After.
/// Client addresses are the connection's remote address: behind a reverse proxy, configure forwarded headers so it
/// is the visitor's, not the proxy's.
/// </summary>
public sealed class RateLimitOptions
{
    public const string SectionName = "RateLimits";

    /// <summary>Token requests (POST /api/webchat/token, /v3/directline/tokens/generate, /v3/directline/conversations) one client address may make per window.</summary>
    [Range(1, 1_000_000)]
    public int TokenRequestsPerWindow { get; set; } = 60;

    /// <summary>
    /// POSTs to /api/messages one client address may make per window, only while the bot runs without a Microsoft app id
    /// (unauthenticated mode). With an app id every call comes from Azure Bot Service's addresses, so only the
    /// per-conversation limit applies.
    /// </summary>
    [Range(1, 10_000_000)]
    public int MessagesPerWindowPerClient { get; set; } = 600;

    /// <summary>Activities one conversation may post to /api/messages per window (any mode).</summary>
    [Range(1, 1_000_000)]
    public int MessagesPerWindowPerConversation { get; set; } = 60;

    /// <summary>The fixed window every limit counts in.</summary>
    [Range(1, 3600)]
    public int WindowSeconds { get; set; } = 60;
}
