namespace ClinicBot.Dialogs.Safety;

/// <summary>How sure the detector is that a message carries a red flag, and so how the bot answers it.</summary>
public enum SafetyLevel
{
    /// <summary>Nothing alarming: the message goes on to the rest of the bot.</summary>
    None,

    /// <summary>
    /// Possibly a red flag: a gentle check-in that still names the emergency number (and the crisis line), and asks
    /// whether the patient is safe. Errs toward safety without treating the patient as an emergency.
    /// </summary>
    CheckIn,

    /// <summary>A red flag: emergency guidance first, and an urgent alert to staff.</summary>
    RedFlag,
}

/// <summary>What found it: a configured phrase (the floor) or the learned model.</summary>
public enum RedFlagSource
{
    None,
    Phrase,
    Model,

    /// <summary>The patient answered "no" to "Are you safe right now?".</summary>
    CheckIn,
}

/// <summary>The detector's decision on one message. Holds no patient text, so it can be logged and counted.</summary>
public sealed record RedFlagAssessment(SafetyLevel Level, RedFlag Flag, RedFlagSource Source, RedFlagScores Scores)
{
    public static RedFlagAssessment Clear { get; } = new(SafetyLevel.None, RedFlag.None, RedFlagSource.None, default);

    public bool IsRedFlag => Level == SafetyLevel.RedFlag;
}
