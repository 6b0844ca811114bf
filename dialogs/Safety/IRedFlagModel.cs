namespace ClinicBot.Dialogs.Safety;

/// <summary>
/// A learned reading of a message for red flags: how likely it is to describe an emergency, a crisis or a threat,
/// whatever words the patient chose. The host provides it (sentence embeddings and a classifier trained on labelled
/// examples); <see cref="RedFlagDetector"/> turns the scores into a decision with the configured thresholds.
/// </summary>
public interface IRedFlagModel
{
    ValueTask<RedFlagScores> ScoreAsync(string text, CancellationToken cancellationToken);
}

/// <summary>Probabilities per red-flag category (the rest is "no red flag").</summary>
public readonly record struct RedFlagScores(double Emergency, double Crisis, double Violence)
{
    /// <summary>The probability that the message carries any red flag.</summary>
    public double Any => Math.Min(1, Emergency + Crisis + Violence);

    public double For(RedFlag flag) => flag switch
    {
        RedFlag.Emergency => Emergency,
        RedFlag.Crisis => Crisis,
        RedFlag.Violence => Violence,
        _ => 1 - Any,
    };

    /// <summary>The most likely red-flag category (ties go to crisis, then emergency: the replies that name more help).</summary>
    public RedFlag Likeliest =>
        Crisis >= Emergency && Crisis >= Violence ? RedFlag.Crisis
        : Emergency >= Violence ? RedFlag.Emergency
        : RedFlag.Violence;
}
