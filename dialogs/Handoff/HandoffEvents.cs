namespace ClinicBot.Dialogs.Handoff;

/// <summary>
/// Event activities the host sends into a conversation (as proactive turns) when staff act on a handoff,
/// so every change of who is talking happens inside a turn, in order with the patient's messages.
/// </summary>
public static class HandoffEvents
{
    /// <summary>A staff member accepted the chat. Value: <see cref="HandoffEventValue"/>.</summary>
    public const string Accepted = "clinicbot.handoff.accepted";

    /// <summary>The staff member ended the chat; the bot resumes. Value: <see cref="HandoffEventValue"/>.</summary>
    public const string Ended = "clinicbot.handoff.ended";

    /// <summary>The chat moved to another team. Value: <see cref="HandoffEventValue"/> with the new department.</summary>
    public const string Transferred = "clinicbot.handoff.transferred";

    /// <summary>Nobody took the chat in time; it became a follow-up. Value: <see cref="HandoffEventValue"/>.</summary>
    public const string TimedOut = "clinicbot.handoff.timedout";

    /// <summary>A staff message for the patient. Value: <see cref="HandoffEventValue"/> with the text.</summary>
    public const string AgentMessage = "clinicbot.handoff.message";
}

/// <param name="StaffPulled">On <see cref="HandoffEvents.Accepted"/>: staff joined a conversation that had not asked for a person.</param>
public sealed record HandoffEventValue(string HandoffId, string? AgentName = null, string? Department = null, string? Text = null, string? DueBy = null, bool StaffPulled = false);

/// <summary>Carries patient messages to the staff member who has (or will take) the chat.</summary>
public interface IHandoffRelay
{
    Task RelayFromPatientAsync(string handoffId, string? text, CancellationToken cancellationToken);

    /// <summary>
    /// A red flag in the patient's message: the chat becomes urgent, the message is relayed, and
    /// <paramref name="note"/> (what the bot told the patient) follows it in the staff's view. Null when the chat has
    /// ended or is not this bot's.
    /// </summary>
    Task<HandoffRequest?> FlagAsync(string handoffId, string? text, Safety.RedFlag flag, string note, CancellationToken cancellationToken);

    /// <summary>A line from the bot for the staff's view of the chat (never shown to the patient).</summary>
    Task NoteAsync(string handoffId, string note, CancellationToken cancellationToken);

    /// <summary>The patient withdrew the request while waiting.</summary>
    Task CancelByPatientAsync(string handoffId, CancellationToken cancellationToken);
}
