using ClinicBot.Dialogs.Cases;
using ClinicBot.Dialogs.Conversation;
using ClinicBot.Dialogs.Framework;
using ClinicBot.Dialogs.Greeting;
using ClinicBot.Dialogs.FollowUps;
using ClinicBot.Dialogs.Handoff;
using ClinicBot.Dialogs.Interruptions;
using ClinicBot.Dialogs.Patients;
using ClinicBot.Dialogs.Phrasing;
using ClinicBot.Dialogs.Safety;
using ClinicBot.Dialogs.Sentiment;
using ClinicBot.Dialogs.State;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Connector;
using Microsoft.Bot.Schema;
using Microsoft.Extensions.Options;
using Newtonsoft.Json.Linq;

namespace ClinicBot.Dialogs.Bots;

/// <summary>
/// The one bot every channel feeds. Per message: safety first, then either relay to the person who has the
/// chat or run the main dialog. Greets patients, applies staff handoff events, and saves state once per turn.
/// </summary>
public sealed class ClinicBotHandler(
    StateStore state,
    ConversationStateAccessors accessors,
    MainDialog mainDialog,
    Greeter greeter,
    SafetyResponder safety,
    MoodResponder mood,
    IHandoffRelay relay,
    IOptions<HandoffOptions> handoffOptions) : ActivityHandler
{
    /// <summary>The event Web Chat pages send on open, carrying the patient's display name.</summary>
    public const string JoinEventName = "webchat/join";

    public override async Task OnTurnAsync(ITurnContext turnContext, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        if (turnContext.TurnState.Get<VerifiedPatient>() is { } verified)
        {
            // Only an adapter that checked a signed token sets this; names and ids from a browser never do.
            var profile = await accessors.Profile.GetAsync(turnContext, () => new PatientProfile(), cancellationToken);
            profile.VerifiedPatientId = verified.PatientId;
        }

        await base.OnTurnAsync(turnContext, cancellationToken);
        await state.SaveChangesAsync(turnContext, cancellationToken);
    }

    protected override async Task OnMembersAddedAsync(IList<ChannelAccount> membersAdded, ITurnContext<IConversationUpdateActivity> turnContext, CancellationToken cancellationToken)
    {
        var patient = membersAdded.FirstOrDefault(m => m.Id != turnContext.Activity.Recipient?.Id);
        if (patient is null)
        {
            return;
        }

        // Web pages announce the patient with a join event right after the conversation starts; greeting
        // here first would greet a known patient as a stranger.
        var awaitsJoinEvent = turnContext.Activity.ChannelId is Channels.Webchat or Channels.Directline
            && PatientNames.FirstNameFromDisplayName(patient.Name) is null;
        if (!awaitsJoinEvent)
        {
            await GreetAsync(turnContext, patient.Name, NameSource.Channel, askForName: true, cancellationToken);
        }
    }

    protected override async Task OnEventActivityAsync(ITurnContext<IEventActivity> turnContext, CancellationToken cancellationToken)
    {
        var activity = turnContext.Activity;
        switch (activity.Name)
        {
            case JoinEventName:
                var value = activity.Value as JObject;
                var name = value?.Value<string>("name") ?? value?.Value<string>("username") ?? activity.From?.Name;
                await GreetAsync(turnContext, name, NameSource.Website, askForName: true, cancellationToken);
                break;
            case CaseEvents.RemedyApproved when (activity.Value as JObject)?.ToObject<RemedyApprovedValue>() is { } remedy:
                var patient = await accessors.Profile.GetAsync(turnContext, () => new PatientProfile(), cancellationToken);
                await turnContext.SendActivityAsync(ComplaintPhrases.RemedyApproved(patient.PreferredName, remedy.Reference, remedy.Remedy), cancellationToken: cancellationToken);
                break;
            case FollowUpEvents.Answered when (activity.Value as JObject)?.ToObject<FollowUpAnsweredValue>() is { } answered:
                var profile = await accessors.Profile.GetAsync(turnContext, () => new PatientProfile(), cancellationToken);
                await turnContext.SendActivityAsync(FollowUpPhrases.AnswerDelivered(profile.PreferredName, answered.Question, answered.Answer), cancellationToken: cancellationToken);
                break;
            case HandoffEvents.Accepted or HandoffEvents.Ended or HandoffEvents.Transferred or HandoffEvents.TimedOut or HandoffEvents.AgentMessage:
                await ApplyHandoffEventAsync(turnContext, activity.Name, (activity.Value as JObject)?.ToObject<HandoffEventValue>(), cancellationToken);
                break;
            case HandoffEventNames.HandoffStatus when handoffOptions.Value.Mode == HandoffMode.ExternalHub:
                await ApplyExternalHubStatusAsync(turnContext, (activity.Value as JObject)?.Value<string>("state"), cancellationToken);
                break;
        }
    }

    protected override async Task OnMessageActivityAsync(ITurnContext<IMessageActivity> turnContext, CancellationToken cancellationToken)
    {
        var conversation = await accessors.Conversation.GetAsync(turnContext, () => new ConversationData(), cancellationToken);

        // Safety first, before even a greeting: a patient in danger hears the emergency number before anything else.
        // The responder relays the message to whoever has (or will take) the chat itself, flagged.
        if (await safety.TryRespondAsync(turnContext, cancellationToken))
        {
            conversation.Greeted = true;
            return;
        }

        // A patient who speaks first is greeted, but their message is answered rather than met with a
        // question about their name.
        await GreetAsync(turnContext, turnContext.Activity.From?.Name, NameSource.Channel, askForName: false, cancellationToken);
        var handoffId = conversation.ActiveHandoffId;
        if (handoffId is null && conversation.SafetyAlertId is { } alertId)
        {
            // The bot answers, and whoever takes the urgent alert sees everything the patient wrote since.
            await relay.RelayFromPatientAsync(alertId, turnContext.Activity.Text, cancellationToken);
        }

        if (handoffId is not null && conversation.HandoffStage != HandoffStage.None)
        {
            if (conversation.HandoffStage == HandoffStage.Waiting && InterruptionRecognizer.Recognize(turnContext.Activity.Text) == Interruption.StartOver)
            {
                await relay.CancelByPatientAsync(handoffId, cancellationToken);
                ClearHandoff(conversation);
                await turnContext.SendActivityAsync(HandoffPhrases.WaitCancelled, cancellationToken: cancellationToken);
                return;
            }

            // A person is on the way or has the chat: the bot stays quiet and passes everything on.
            await relay.RelayFromPatientAsync(handoffId, turnContext.Activity.Text, cancellationToken);
            return;
        }

        switch (await mood.RespondAsync(turnContext, cancellationToken))
        {
            case MoodOutcome.Handled:
                return;
            case MoodOutcome.OfferSupervisor:
                await mainDialog.BeginSupervisorOfferAsync(turnContext, accessors.DialogState, cancellationToken);
                return;
        }

        await mainDialog.RunAsync(turnContext, accessors.DialogState, cancellationToken);
    }

    private async Task ApplyHandoffEventAsync(ITurnContext turnContext, string eventName, HandoffEventValue? value, CancellationToken cancellationToken)
    {
        var conversation = await accessors.Conversation.GetAsync(turnContext, () => new ConversationData(), cancellationToken);
        if (value is not null && value.HandoffId == conversation.SafetyAlertId && conversation.ActiveHandoffId is null)
        {
            // The urgent alert a red flag raised: whoever accepts it takes the chat; if it ends unaccepted, it is gone.
            conversation.SafetyAlertId = null;
            if (eventName != HandoffEvents.Accepted)
            {
                return;
            }

            conversation.ActiveHandoffId = value.HandoffId;
            conversation.SafetyCheckIn = null;
            await accessors.DialogState.DeleteAsync(turnContext, cancellationToken);
        }

        if (value is { StaffPulled: true } && eventName == HandoffEvents.Accepted && conversation.ActiveHandoffId is null)
        {
            // A staff member joined a conversation that had not asked for a person: whatever the bot was asking is moot.
            conversation.ActiveHandoffId = value.HandoffId;
            await accessors.DialogState.DeleteAsync(turnContext, cancellationToken);
        }

        if (value is null || value.HandoffId != conversation.ActiveHandoffId)
        {
            return;
        }

        var departments = handoffOptions.Value;
        switch (eventName)
        {
            case HandoffEvents.Accepted:
                conversation.HandoffStage = HandoffStage.WithPerson;
                conversation.AgentName = value.AgentName;
                var department = departments.Find(value.Department ?? departments.DefaultDepartment);
                await turnContext.SendActivityAsync(HandoffPhrases.AgentJoined(value.AgentName ?? "A member of our team", department), cancellationToken: cancellationToken);
                break;
            case HandoffEvents.AgentMessage when !string.IsNullOrEmpty(value.Text):
                var staffMessage = MessageFactory.Text(value.Text);

                // Marked so channels can apply staff rules (e.g. Messenger's human-agent tag) and transcripts tell who spoke.
                staffMessage.ChannelData = new JObject { ["clinicbot"] = new JObject { ["sender"] = "staff" } };
                await turnContext.SendActivityAsync(staffMessage, cancellationToken);
                break;
            case HandoffEvents.Transferred:
                conversation.HandoffStage = HandoffStage.Waiting;
                conversation.AgentName = null;
                await turnContext.SendActivityAsync(HandoffPhrases.TransferredTo(departments.Find(value.Department ?? departments.DefaultDepartment)), cancellationToken: cancellationToken);
                break;
            case HandoffEvents.TimedOut:
                ClearHandoff(conversation);
                await turnContext.SendActivityAsync(HandoffPhrases.TimedOut(departments.Find(value.Department ?? departments.DefaultDepartment), value.DueBy ?? "the end of the next business day"), cancellationToken: cancellationToken);
                break;
            case HandoffEvents.Ended:
                ClearHandoff(conversation);
                var profile = await accessors.Profile.GetAsync(turnContext, () => new PatientProfile(), cancellationToken);
                await accessors.DialogState.DeleteAsync(turnContext, cancellationToken);
                await turnContext.SendActivityAsync(HandoffPhrases.BackWithBot(profile.PreferredName), cancellationToken: cancellationToken);
                break;
        }
    }

    /// <summary>Bot Framework handoff protocol: an external agent hub reports on the handoff this bot initiated.</summary>
    private async Task ApplyExternalHubStatusAsync(ITurnContext turnContext, string? state, CancellationToken cancellationToken)
    {
        var conversation = await accessors.Conversation.GetAsync(turnContext, () => new ConversationData(), cancellationToken);
        if (conversation.ActiveHandoffId is null)
        {
            return;
        }

        switch (state)
        {
            case HandoffStates.Accepted:
                conversation.HandoffStage = HandoffStage.WithPerson;
                break;
            case HandoffStates.Completed:
                ClearHandoff(conversation);
                var profile = await accessors.Profile.GetAsync(turnContext, () => new PatientProfile(), cancellationToken);
                await accessors.DialogState.DeleteAsync(turnContext, cancellationToken);
                await turnContext.SendActivityAsync(HandoffPhrases.BackWithBot(profile.PreferredName), cancellationToken: cancellationToken);
                break;
            case HandoffStates.Failed:
                ClearHandoff(conversation);
                await accessors.DialogState.DeleteAsync(turnContext, cancellationToken);
                await turnContext.SendActivityAsync(HandoffPhrases.ExternalHubFailed, cancellationToken: cancellationToken);
                break;
        }
    }

    private static void ClearHandoff(ConversationData conversation)
    {
        conversation.ActiveHandoffId = null;
        conversation.HandoffStage = HandoffStage.None;
        conversation.AgentName = null;
    }

    private async Task GreetAsync(ITurnContext turnContext, string? displayName, NameSource source, bool askForName, CancellationToken cancellationToken)
    {
        var conversation = await accessors.Conversation.GetAsync(turnContext, () => new ConversationData(), cancellationToken);
        if (conversation.Greeted)
        {
            return;
        }

        conversation.Greeted = true;
        var profile = await accessors.Profile.GetAsync(turnContext, () => new PatientProfile(), cancellationToken);
        var greeting = greeter.Greet(profile, displayName, source, turnContext.Activity.Conversation.Id, askForName && !conversation.AskedForName);
        await turnContext.SendActivityAsync(greeting.Activity, cancellationToken);

        if (greeting.ShouldAskForName)
        {
            conversation.AskedForName = true;
            await mainDialog.BeginAskNameAsync(turnContext, accessors.DialogState, cancellationToken);
        }
    }
}
