namespace ClinicBot.Dialogs.Patients;

/// <summary>Per-conversation facts outside the dialog stack (conversation state).</summary>
public sealed class ConversationData
{
    public bool Greeted { get; set; }

    /// <summary>We asked this visitor for a name in this conversation (ask once).</summary>
    public bool AskedForName { get; set; }

    /// <summary>Restatements the patient said were wrong, in a row; reset once the bot gets it right.</summary>
    public int Misunderstandings { get; set; }

    /// <summary>Set while a person is on the way or has the chat: the bot then relays instead of answering.</summary>
    public string? ActiveHandoffId { get; set; }

    public HandoffStage HandoffStage { get; set; }

    /// <summary>
    /// The urgent staff alert a red flag raised while the patient was not in a handoff. The bot keeps talking with the
    /// patient; their later messages reach the alert, and the staff member who accepts it takes the chat.
    /// </summary>
    public string? SafetyAlertId { get; set; }

    /// <summary>Set while the bot's last question was "Are you safe right now?" after a possible red flag.</summary>
    public Safety.RedFlag? SafetyCheckIn { get; set; }

    /// <summary>The first name or role of the staff member who has the chat.</summary>
    public string? AgentName { get; set; }

    /// <summary>The mood of the patient's last message (calm, frustrated, angry, abusive).</summary>
    public string? LastMood { get; set; }

    public int AngryMessages { get; set; }

    public int AbusiveMessages { get; set; }

    public bool SupervisorOffered { get; set; }

    /// <summary>Patient id confirmed in this conversation by name and date of birth.</summary>
    public string? VerifiedPatientId { get; set; }

    /// <summary>Facts staff should see if this chat reaches them (appointment, what was offered).</summary>
    public Dictionary<string, string> Facts { get; set; } = [];
}

public enum HandoffStage
{
    None,
    Waiting,
    WithPerson,
}
