using System.ComponentModel.DataAnnotations;

namespace ClinicBot.Dialogs.Sentiment;

/// <summary>When anger and abuse change what the bot does (section <c>Sentiment</c>).</summary>
public sealed class SentimentOptions
{
    public const string SectionName = "Sentiment";

    /// <summary>Angry messages in one conversation before the bot offers a supervisor.</summary>
    [Range(1, 10)]
    public int AngryMessagesBeforeSupervisor { get; set; } = 3;

    /// <summary>Abusive messages before the automated exchange ends (the first gets one calm boundary).</summary>
    [Range(2, 5)]
    public int AbusiveMessagesBeforeHandoff { get; set; } = 2;
}
