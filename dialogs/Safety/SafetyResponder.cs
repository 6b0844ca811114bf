using ClinicBot.Dialogs.Clinic;
using ClinicBot.Dialogs.Conversation;
using ClinicBot.Dialogs.Framework;
using ClinicBot.Dialogs.Handoff;
using ClinicBot.Dialogs.Patients;
using ClinicBot.Dialogs.Phrasing;
using Microsoft.Bot.Builder;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ClinicBot.Dialogs.Safety;

/// <summary>
/// Scenario 08: every patient message, in every state (a fresh conversation, a pending prompt, a handoff, after an
/// abuse boundary), is read for red flags before anything else. On one, the bot gives the emergency number or the
/// crisis line first, then says truthfully what the clinic is doing: the person in the chat is told, or an urgent alert
/// goes to the top of the staff console, or, with nobody online, the on-call person is emailed and the patient is given
/// the clinic's number and told when staff are back. The bot stays available; it never answers a red flag from the FAQ.
/// </summary>
public sealed class SafetyResponder(
    RedFlagDetector detector,
    IOptions<SafetyOptions> options,
    IOptions<HandoffOptions> handoffOptions,
    IOptions<ConversationOptions> conversationOptions,
    IHandoffQueue handoffQueue,
    IHandoffRelay relay,
    IStaffPresence presence,
    IOnCallAlerts onCall,
    ConversationStateAccessors accessors,
    ClinicCalendar calendar,
    ILogger<SafetyResponder> logger)
{
    private static readonly ConfirmPrompt SafeAnswer = new(nameof(SafeAnswer));

    /// <summary>Responds to a red flag (or a possible one) in the message; false when there is none.</summary>
    public async Task<bool> TryRespondAsync(ITurnContext turnContext, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        var text = turnContext.Activity.Text;
        var conversation = await accessors.Conversation.GetAsync(turnContext, () => new ConversationData(), cancellationToken);
        var assessment = await detector.AssessAsync(text, cancellationToken);

        if (conversation.SafetyCheckIn is { } askedAbout)
        {
            // The last thing the bot asked was "Are you safe right now?".
            conversation.SafetyCheckIn = null;
            switch (SafeAnswer.Recognize(text))
            {
                case false when !assessment.IsRedFlag:
                    assessment = new RedFlagAssessment(SafetyLevel.RedFlag, askedAbout, RedFlagSource.CheckIn, assessment.Scores);
                    break;
                case true when assessment.Level == SafetyLevel.None:
                    SafetyMetrics.Assessed(assessment, turnContext.Activity.ChannelId);
                    await turnContext.SendActivityAsync(SafetyPhrases.CheckInSafe, cancellationToken: cancellationToken);
                    return true;
            }
        }

        SafetyMetrics.Assessed(assessment, turnContext.Activity.ChannelId);
        if (assessment.Level == SafetyLevel.None)
        {
            return false;
        }

        logger.LogWarning(
            "Safety {Level} ({Flag}, found by {Source}) in conversation {ConversationId}",
            assessment.Level,
            assessment.Flag,
            assessment.Source,
            turnContext.Activity.Conversation?.Id);
        var safety = options.Value;
        if (assessment.Level == SafetyLevel.CheckIn)
        {
            await turnContext.SendActivityAsync(QuickReplies.Message(SafetyPhrases.CheckIn(safety.EmergencyNumber, safety.CrisisLineNumber), ["Yes, I'm safe", "No"]), cancellationToken);
            conversation.SafetyCheckIn = assessment.Flag;
            if (conversation.ActiveHandoffId is { } id)
            {
                await relay.RelayFromPatientAsync(id, text, cancellationToken);
                await relay.NoteAsync(id, SafetyPhrases.StaffCheckInNote, cancellationToken);
            }

            return true;
        }

        var guidance = assessment.Flag switch
        {
            RedFlag.Crisis => SafetyPhrases.Crisis(safety.EmergencyNumber, safety.CrisisLineNumber, safety.CrisisLineName, safety.CrisisLineSpanish),
            RedFlag.Violence => SafetyPhrases.Violence(safety.EmergencyNumber),
            _ => SafetyPhrases.Emergency(safety.EmergencyNumber),
        };
        await turnContext.SendActivityAsync(guidance, cancellationToken: cancellationToken);
        await turnContext.SendActivityAsync(await AlertStaffAsync(turnContext, assessment.Flag, conversation, cancellationToken), cancellationToken: cancellationToken);

        // Whatever step was running no longer matters.
        await accessors.DialogState.DeleteAsync(turnContext, cancellationToken);
        return true;
    }

    /// <summary>Puts the red flag in front of a person and returns what the patient is told about it.</summary>
    private async Task<string> AlertStaffAsync(ITurnContext turnContext, RedFlag flag, ConversationData conversation, CancellationToken cancellationToken)
    {
        var safety = options.Value;
        var note = SafetyPhrases.StaffNote(flag, safety.EmergencyNumber, safety.CrisisLineNumber);
        var text = turnContext.Activity.Text;
        var department = handoffOptions.Value.DefaultDepartment;

        // Already with a person, or waiting for one: that chat becomes urgent and carries the message, flagged.
        var existingId = conversation.ActiveHandoffId ?? conversation.SafetyAlertId;
        if (existingId is not null && await relay.FlagAsync(existingId, text, flag, note, cancellationToken) is { } flagged)
        {
            if (flagged.Status == HandoffStatus.Active && conversation.ActiveHandoffId == flagged.Id)
            {
                SafetyMetrics.Alerted(flag, "agent");
                return SafetyPhrases.AgentAlerted(conversation.AgentName ?? "the staff member");
            }

            if (presence.IsAnyoneAvailable)
            {
                SafetyMetrics.Alerted(flag, "console");
                return conversation.ActiveHandoffId == flagged.Id ? SafetyPhrases.MovedToFront : SafetyPhrases.StaffAlerted;
            }

            return NobodyOnline(turnContext, flag, flagged.Id);
        }

        var profile = await accessors.Profile.GetAsync(turnContext, () => new PatientProfile(), cancellationToken);
        var alert = HandoffRequests.FromTurn(turnContext, profile, conversation, department, HandoffReason.Safety, HandoffPriority.Urgent, text, calendar.Now);
        alert.Context["redFlag"] = flag.ToString();
        await handoffQueue.EnqueueAsync(alert, cancellationToken);
        await relay.NoteAsync(alert.Id, note, cancellationToken);

        // The bot keeps talking with the patient; the alert waits at the top of the console until someone takes it,
        // and the patient's next messages reach it too.
        conversation.SafetyAlertId = alert.Id;
        if (presence.IsAnyoneAvailable)
        {
            SafetyMetrics.Alerted(flag, "console");
            return SafetyPhrases.StaffAlerted;
        }

        return NobodyOnline(turnContext, flag, alert.Id);
    }

    private string NobodyOnline(ITurnContext turnContext, RedFlag flag, string handoffId)
    {
        onCall.Alert(new OnCallAlert(handoffId, flag, turnContext.Activity.ChannelId, calendar.Now));
        SafetyMetrics.Alerted(flag, "on-call");
        var whenBack = calendar.IsOpen() ? "as soon as someone signs in" : calendar.Describe(calendar.NextOpening());
        return SafetyPhrases.NobodyOnline(conversationOptions.Value.ClinicPhoneNumber, whenBack);
    }
}
