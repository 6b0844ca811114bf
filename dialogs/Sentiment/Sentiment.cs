namespace ClinicBot.Dialogs.Sentiment;

/// <summary>How a patient's message reads, from calm to abusive.</summary>
public enum Mood
{
    Calm,
    Frustrated,
    Angry,

    /// <summary>Insults or profanity aimed at the bot or staff.</summary>
    Abusive,
}

/// <summary>The detector's reading of one message: the mood and how strongly it showed (0 to 1).</summary>
public sealed record SentimentReading(Mood Mood, double Intensity)
{
    public static SentimentReading Calm { get; } = new(Mood.Calm, 0);
}

/// <summary>Reads the mood of every patient message. Offline by default; a cloud service can replace it.</summary>
public interface ISentimentDetector
{
    SentimentReading Read(string? text);
}
