using System.ComponentModel.DataAnnotations;

namespace ClinicBot.Bot.Transcripts;

/// <summary>How long conversation transcripts are kept (section <c>Transcripts</c>).</summary>
public sealed class TranscriptOptions
{
    public const string SectionName = "Transcripts";

    /// <summary>Transcript messages older than this are deleted by the purge service.</summary>
    [Range(1, 3650)]
    public int RetentionDays { get; set; } = 90;

    /// <summary>How often the purge runs.</summary>
    [Range(1, 168)]
    public int PurgeIntervalHours { get; set; } = 6;

    /// <summary>How many of the latest messages the staff context panel shows.</summary>
    [Range(10, 5000)]
    public int ContextMessageLimit { get; set; } = 500;
}
