using ClinicBot.Dialogs.Clinic;
using ClinicBot.Dialogs.Conversation;
using ClinicBot.Dialogs.Handoff;
using ClinicBot.Dialogs.Patients;
using ClinicBot.Dialogs.Phrasing;
using Microsoft.Bot.Builder;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ClinicBot.Dialogs.Safety;

/// <summary>
/// Scenario 08: on any red flag, at any point (even while waiting for or talking with a person), tell the
/// patient to call emergency services before anything else, and put an urgent alert in front of staff.
/// </summary>
public sealed class SafetyResponder(
    RedFlagDetector detector,
    IOptions<SafetyOptions> options,
    IOptions<HandoffOptions> handoffOptions,
    IHandoffQueue handoffQueue,
    ConversationStateAccessors accessors,
    ClinicCalendar calendar,
    ILogger<SafetyResponder> logger)
{
    /// <summary>Responds to a red flag in the message; false when there is none.</summary>
    public async Task<bool> TryRespondAsync(ITurnContext turnContext, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        var flag = detector.Detect(turnContext.Activity.Text);
        if (flag == RedFlag.None)
        {
            return false;
        }

        var safety = options.Value;
        var guidance = flag switch
        {
            RedFlag.Crisis => SafetyPhrases.Crisis(safety.EmergencyNumber, safety.CrisisLineNumber, safety.CrisisLineName),
            RedFlag.Violence => SafetyPhrases.Violence(safety.EmergencyNumber),
            _ => SafetyPhrases.Emergency(safety.EmergencyNumber),
        };
        await turnContext.SendActivityAsync(guidance, cancellationToken: cancellationToken);
        logger.LogWarning("Red flag {Flag} in conversation {ConversationId}; raising an urgent staff alert", flag, turnContext.Activity.Conversation?.Id);

        var conversation = await accessors.Conversation.GetAsync(turnContext, () => new ConversationData(), cancellationToken);
        if (conversation.ActiveHandoffId is null)
        {
            await RaiseAlertAsync(turnContext, flag, conversation, cancellationToken);
        }

        await turnContext.SendActivityAsync(SafetyPhrases.StaffAlerted, cancellationToken: cancellationToken);

        // Whatever step was running no longer matters.
        await accessors.DialogState.DeleteAsync(turnContext, cancellationToken);
        return true;
    }

    private async Task RaiseAlertAsync(ITurnContext turnContext, RedFlag flag, ConversationData conversation, CancellationToken cancellationToken)
    {
        var profile = await accessors.Profile.GetAsync(turnContext, () => new PatientProfile(), cancellationToken);
        var alert = HandoffRequests.FromTurn(turnContext, profile, conversation, handoffOptions.Value.DefaultDepartment, HandoffReason.Safety, HandoffPriority.Urgent, turnContext.Activity.Text, calendar.Now);
        alert.Context["redFlag"] = flag.ToString();
        await handoffQueue.EnqueueAsync(alert, cancellationToken);
        conversation.ActiveHandoffId = alert.Id;
        conversation.HandoffStage = HandoffStage.Waiting;
    }
}
