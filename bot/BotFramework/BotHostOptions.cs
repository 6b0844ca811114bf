using System.ComponentModel.DataAnnotations;

namespace ClinicBot.Bot.BotFramework;

/// <summary>Limits and switches for the Bot Framework endpoint (section <c>Bot</c>).</summary>
public sealed class BotHostOptions
{
    public const string SectionName = "Bot";

    /// <summary>Largest accepted request body on /api/messages; larger requests get 413.</summary>
    [Range(1024, 4 * 1024 * 1024)]
    public int MaxRequestBodyBytes { get; set; } = 256 * 1024;

    /// <summary>
    /// Reuse one connector client per service URL and audience. Only the benchmark's baseline mode turns
    /// this off, to measure the stock SDK wiring side by side.
    /// </summary>
    public bool CacheConnectorClients { get; set; } = true;
}
