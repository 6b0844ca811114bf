using System.ComponentModel.DataAnnotations;

namespace ClinicBot.Bot.Storage;

/// <summary>Configuration section <c>Transcripts</c>: how long conversation transcripts are kept.</summary>
public sealed class TranscriptOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Transcripts";

    /// <summary>
    /// Days a transcript activity is kept after it was logged (default 30). Cosmos DB expires each document this long
    /// after its last write through its <c>ttl</c>.
    /// </summary>
    [Range(1, 3650, ErrorMessage = "Transcripts:RetentionDays must be between 1 and 3650 days.")]
    public int RetentionDays { get; set; } = 30;

    /// <summary><see cref="RetentionDays"/> in seconds, the unit of Cosmos DB's <c>ttl</c>.</summary>
    public int RetentionSeconds => checked(RetentionDays * 86_400);
}
