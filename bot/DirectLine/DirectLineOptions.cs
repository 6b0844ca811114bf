using System.ComponentModel.DataAnnotations;

namespace ClinicBot.Bot.DirectLine;

/// <summary>The built-in Direct Line 3.0 channel (section <c>DirectLine</c>).</summary>
public sealed class DirectLineOptions
{
    public const string SectionName = "DirectLine";

    /// <summary>Serve /v3/directline. Turn off when the website uses Azure Bot Service Direct Line only.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Key that signs Direct Line tokens (HMAC-SHA256), at least 32 characters; keep it in Key Vault or user
    /// secrets. When empty, a random key is generated at first start and kept owner-only in the data folder.
    /// </summary>
    [MinLength(32)]
    public string? TokenSigningKey { get; set; }

    /// <summary>How long a token is valid. Web Chat refreshes its token every 15 minutes.</summary>
    [Range(1, 24 * 60)]
    public int TokenLifetimeMinutes { get; set; } = 30;

    /// <summary>Activities one conversation may post per <see cref="RateLimitWindowSeconds"/>; more get 429.</summary>
    [Range(1, 10_000)]
    public int MaxActivitiesPerWindow { get; set; } = 20;

    [Range(1, 3600)]
    public int RateLimitWindowSeconds { get; set; } = 10;

    /// <summary>Largest accepted activity body; larger requests get 413.</summary>
    [Range(1024, 4 * 1024 * 1024)]
    public int MaxRequestBodyBytes { get; set; } = 256 * 1024;

    /// <summary>Most activities one GET returns; the watermark pages through the rest.</summary>
    [Range(1, 10_000)]
    public int MaxActivitiesPerGet { get; set; } = 500;

    /// <summary>
    /// How often an open WebSocket stream also reads the activity log for activities another instance appended
    /// (a staff reply sent from the instance the agent is connected to). 0 turns this off: a single instance pushes
    /// everything it appends to its own streams at once. See docs/production-storage.md, "Scale-out".
    /// </summary>
    [Range(0, 60_000)]
    public int StreamPollMilliseconds { get; set; } = 1000;
}
