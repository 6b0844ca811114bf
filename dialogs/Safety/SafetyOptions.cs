using System.ComponentModel.DataAnnotations;

namespace ClinicBot.Dialogs.Safety;

/// <summary>
/// Everything that decides what counts as a red flag (section <c>Safety</c>), in one place for clinical review: the
/// categories (<see cref="RedFlag"/>), the learned model's thresholds, the phrases that always count, and the numbers the
/// bot gives. Defaults are for the US. The model's training examples are in <c>bot/safety/red-flag-examples.tsv</c>.
/// </summary>
/// <remarks>
/// A message is a red flag when a phrase below matches (not right after a plain negation), or when the model's
/// probability for a category reaches that category's threshold. Below those, a message whose probability of any red
/// flag reaches <see cref="CheckInThreshold"/> gets a gentle check-in that still names the emergency number and the
/// crisis line. The thresholds were chosen on the tuning half of the labelled set (tools/Evaluate -- --safety): every
/// red flag there caught, as few ordinary messages flagged as that allows.
/// </remarks>
public sealed class SafetyOptions : IValidatableObject
{
    public const string SectionName = "Safety";

    [Required]
    public string EmergencyNumber { get; set; } = "911";

    [Required]
    public string CrisisLineNumber { get; set; } = "988";

    [Required]
    public string CrisisLineName { get; set; } = "the 988 Suicide & Crisis Lifeline";

    /// <summary>How the crisis line is reached in Spanish, said with it ("press 2 for Spanish"). Empty to leave it out.</summary>
    public string CrisisLineSpanish { get; set; } = "para español, oprima 2";

    /// <summary>The red-flag model's training examples (label&lt;TAB&gt;message), relative to the app's folder.</summary>
    [Required]
    public string ExamplesPath { get; set; } = "safety/red-flag-examples.tsv";

    public string ResolvedExamplesPath => System.IO.Path.GetFullPath(ExamplesPath, AppContext.BaseDirectory);

    /// <summary>Model probability of an emergency at which the bot answers with the emergency number.</summary>
    [Range(0.01, 1.0)]
    public double EmergencyThreshold { get; set; } = 0.6;

    /// <summary>Model probability of a crisis (suicidal thoughts, self-harm) at which the bot answers with the crisis line.</summary>
    [Range(0.01, 1.0)]
    public double CrisisThreshold { get; set; } = 0.6;

    /// <summary>Model probability of violence (threats, or danger from someone) at which the bot answers with the emergency number.</summary>
    [Range(0.01, 1.0)]
    public double ViolenceThreshold { get; set; } = 0.6;

    /// <summary>Model probability of any red flag at which the bot checks in gently instead of carrying on.</summary>
    [Range(0.01, 1.0)]
    public double CheckInThreshold { get; set; } = 0.2;

    /// <summary>Phrases that mean "call emergency services now", whatever the model says. Matched as whole words, case-insensitive.</summary>
    public List<string> EmergencyPhrases { get; set; } =
    [
        "chest pain", "chest pains", "chest hurts", "chest tightness", "pressure in my chest", "having a heart attack",
        "can't breathe", "cant breathe", "cannot breathe", "can not breathe", "trouble breathing", "difficulty breathing",
        "hard to breathe", "short of breath", "shortness of breath", "struggling to breathe",
        "sudden weakness", "suddenly weak", "sudden numbness", "suddenly numb", "face drooping", "face is drooping",
        "slurred speech", "slurring my words", "having a stroke",
        "lost control of my bladder", "loss of bladder control", "can't control my bladder", "cant control my bladder",
        "lost control of my bowels", "loss of bowel control", "can't control my bowels", "numb in my groin", "saddle numbness",
        "hit my head and", "won't wake up", "wont wake up", "unresponsive",
        "severe bleeding", "bleeding heavily", "won't stop bleeding", "wont stop bleeding", "coughing up blood", "having a seizure",
    ];

    /// <summary>Phrases that mean a mental-health crisis: the crisis line and the emergency number, whatever the model says.</summary>
    public List<string> CrisisPhrases { get; set; } =
    [
        "kill myself", "killing myself", "kms", "suicidal", "commit suicide", "end my life", "ending my life", "take my own life",
        "want to die", "wanna die", "don't want to live", "dont want to live", "don't want to be alive", "dont want to be alive",
        "hurt myself", "hurting myself", "harm myself", "self harm", "self-harm", "cut myself", "cutting myself",
        "better off dead", "no reason to live", "unalive myself", "end it all",
    ];

    /// <summary>Threats of violence toward others: safety path, never treated as mere abuse, whatever the model says.</summary>
    public List<string> ViolencePhrases { get; set; } =
    [
        "kill you", "kill someone", "kill everyone", "kill that therapist", "shoot you", "shoot someone", "shoot everyone",
        "shoot up", "bring a gun", "bring my gun", "stab you", "stab someone", "plant a bomb", "blow up the clinic",
        "hurt someone", "hurt somebody", "hurt you", "beat you up", "going to hurt you", "gonna hurt you",
        "want to hurt him", "want to hurt her", "want to hurt them", "want to hurt the",
    ];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var lowest = Math.Min(EmergencyThreshold, Math.Min(CrisisThreshold, ViolenceThreshold));
        if (CheckInThreshold > lowest)
        {
            yield return new ValidationResult(
                $"Safety:CheckInThreshold ({CheckInThreshold}) must not be above the red-flag thresholds (lowest {lowest}): a check-in is for messages below them.",
                [nameof(CheckInThreshold)]);
        }
    }
}
