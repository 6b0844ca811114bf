using System.ComponentModel.DataAnnotations;

namespace ClinicBot.Dialogs.Safety;

/// <summary>Emergency numbers and red-flag phrases (section <c>Safety</c>). Defaults are for the US.</summary>
public sealed class SafetyOptions
{
    public const string SectionName = "Safety";

    [Required]
    public string EmergencyNumber { get; set; } = "911";

    [Required]
    public string CrisisLineNumber { get; set; } = "988";

    [Required]
    public string CrisisLineName { get; set; } = "the 988 Suicide & Crisis Lifeline";

    /// <summary>Phrases that mean "call emergency services now". Matched as whole words, case-insensitive.</summary>
    public List<string> EmergencyPhrases { get; set; } =
    [
        "chest pain", "chest pains", "chest hurts", "chest tightness", "pressure in my chest", "heart attack",
        "can't breathe", "cant breathe", "cannot breathe", "can not breathe", "trouble breathing", "difficulty breathing",
        "hard to breathe", "short of breath", "shortness of breath", "struggling to breathe",
        "sudden weakness", "suddenly weak", "sudden numbness", "suddenly numb", "face drooping", "face is drooping",
        "slurred speech", "slurring my words", "stroke",
        "lost control of my bladder", "loss of bladder control", "can't control my bladder", "cant control my bladder",
        "lost control of my bowels", "loss of bowel control", "can't control my bowels", "numb in my groin", "saddle numbness",
        "hit my head", "head injury", "hit his head", "hit her head", "passed out", "fainted", "unconscious", "blacked out",
        "severe bleeding", "bleeding heavily", "won't stop bleeding", "coughing up blood", "seizure",
    ];

    /// <summary>Phrases that mean a mental-health crisis: emergency number and the crisis line.</summary>
    public List<string> CrisisPhrases { get; set; } =
    [
        "kill myself", "killing myself", "suicide", "suicidal", "end my life", "ending my life", "take my own life",
        "want to die", "wanna die", "don't want to live", "dont want to live", "don't want to be alive",
        "hurt myself", "hurting myself", "harm myself", "self harm", "self-harm", "cut myself", "cutting myself",
        "overdose", "better off dead", "no reason to live",
    ];

    /// <summary>Threats of violence toward others: safety path, never treated as mere abuse.</summary>
    public List<string> ViolencePhrases { get; set; } =
    [
        "kill you", "kill someone", "kill everyone", "kill that therapist", "shoot you", "shoot someone", "shoot everyone",
        "shoot up", "bring a gun", "bring my gun", "stab you", "stab someone", "plant a bomb", "blow up the clinic",
        "hurt someone", "hurt somebody", "hurt you", "beat you up", "going to hurt you", "gonna hurt you",
    ];
}
