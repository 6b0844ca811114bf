using System.ComponentModel.DataAnnotations;

namespace ClinicBot.Dialogs;

/// <summary>How the bot converses (section <c>Conversation</c>).</summary>
public sealed class ConversationOptions
{
    public const string SectionName = "Conversation";

    /// <summary>Longest patient message the bot reads; longer ones get a polite request to shorten.</summary>
    [Range(100, 100_000)]
    public int MaxMessageLength { get; set; } = 5000;

    /// <summary>The clinic's name as the bot says it.</summary>
    [Required]
    public string ClinicName { get; set; } = "Riverside Physical Therapy";

    /// <summary>The clinic's phone number as patients should dial it (said when no one can answer here right away).</summary>
    [Required]
    public string ClinicPhoneNumber { get; set; } = "(555) 014-2200";

    /// <summary>Failed attempts at understanding before the bot offers a person instead of asking again.</summary>
    [Range(1, 5)]
    public int MisunderstandingsBeforeOfferingPerson { get; set; } = 2;
}
