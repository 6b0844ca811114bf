using ClinicBot.Dialogs.Clinic;
using ClinicBot.Dialogs.Framework;
using ClinicBot.Dialogs.Handoff;
using ClinicBot.Dialogs.Patients;
using ClinicBot.Dialogs.Phrasing;
using Microsoft.Bot.Builder;
using Microsoft.Extensions.Options;
using Microsoft.Bot.Schema;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace ClinicBot.Dialogs.Conversation;

/// <summary>
/// Brings in a person: says who will help and why, then either queues the chat (with position and wait)
/// or, when nobody can take it now, says so honestly and turns it into a follow-up. Never "please hold".
/// </summary>
public sealed class HandoffDialog : ComponentDialog
{
    private const string Steps = nameof(HandoffDialog) + ".steps";
    private readonly IHandoffQueue _queue;
    private readonly IStaffPresence _presence;
    private readonly ClinicCalendar _calendar;
    private readonly ConversationStateAccessors _accessors;
    private readonly HandoffOptions _options;
    private readonly IHandoffTranscriptSource _transcripts;

    public HandoffDialog(
        IHandoffQueue queue,
        IHandoffTranscriptSource transcripts,
        IStaffPresence presence,
        ClinicCalendar calendar,
        ConversationStateAccessors accessors,
        IOptions<HandoffOptions> options,
        FollowUpDialog followUpDialog)
        : base(nameof(HandoffDialog))
    {
        _queue = queue;
        _transcripts = transcripts;
        _presence = presence;
        _calendar = calendar;
        _accessors = accessors;
        _options = options.Value;
        AddDialog(followUpDialog);
        AddDialog(new WaterfallDialog(Steps, [ConnectOrFollowUpStepAsync]));
        InitialDialogId = Steps;
    }

    private async Task<DialogTurnResult> ConnectOrFollowUpStepAsync(WaterfallStepContext step, CancellationToken cancellationToken)
    {
        var options = step.GetOptions<HandoffDialogOptions>() ?? throw new InvalidOperationException("HandoffDialog needs HandoffDialogOptions.");
        var department = _options.Find(options.DepartmentKey);
        var request = options.Request ?? step.Context.Activity.Text ?? string.Empty;

        // With an external agent hub, the hub knows who is available; the clinic's hours still decide honesty.
        var externalHub = _options.Mode == HandoffMode.ExternalHub;
        if (!_calendar.IsOpen() || (!externalHub && !_presence.IsAvailable(department.Key)))
        {
            var why = _calendar.IsOpen()
                ? HandoffPhrases.NobodyFreeNow(department)
                : HandoffPhrases.ClosedNow(department, _calendar.Describe(_calendar.NextOpening()));
            await step.Context.SendActivityAsync(why, cancellationToken: cancellationToken);
            return await step.ReplaceDialogAsync(nameof(FollowUpDialog), new FollowUpDialogOptions(request, request, department.Key, InsteadOfHandoff: true), cancellationToken);
        }

        var profile = await _accessors.Profile.GetAsync(step.Context, () => new PatientProfile(), cancellationToken);
        var conversation = await _accessors.Conversation.GetAsync(step.Context, () => new ConversationData(), cancellationToken);
        var handoff = HandoffRequests.FromTurn(step.Context, profile, conversation, department.Key, options.Reason, options.Priority, request, _calendar.Now, options.Sentiment);
        foreach (var (key, value) in options.Context ?? [])
        {
            handoff.Context[key] = value;
        }

        if (externalHub)
        {
            conversation.ActiveHandoffId = handoff.Id;
            conversation.HandoffStage = HandoffStage.Waiting;
            await step.Context.SendActivityAsync(HandoffPhrases.Transfer(department, options.Reason), cancellationToken: cancellationToken);
            var transcript = new Transcript(await _transcripts.GetActivitiesAsync(step.Context.Activity.Conversation.Id, cancellationToken));
            var initiation = EventFactory.CreateHandoffInitiation(step.Context, ExternalHubContext(handoff), transcript);
            await step.Context.SendActivityAsync(initiation, cancellationToken);
            await step.Context.SendActivityAsync(HandoffPhrases.ExternalHubJoining, cancellationToken: cancellationToken);
            return await step.EndDialogAsync(handoff.Id, cancellationToken);
        }

        // Durable first: the patient is only told once the request cannot be lost.
        var placement = await _queue.EnqueueAsync(handoff, cancellationToken);
        conversation.ActiveHandoffId = handoff.Id;
        conversation.HandoffStage = HandoffStage.Waiting;

        await step.Context.SendActivityAsync(HandoffPhrases.Transfer(department, options.Reason), cancellationToken: cancellationToken);
        await step.Context.SendActivityAsync(HandoffPhrases.InLine(placement.Position, placement.EstimatedWait), cancellationToken: cancellationToken);
        return await step.EndDialogAsync(handoff.Id, cancellationToken);
    }

    /// <summary>The handoff context an external hub routes on: everything the bot learned, nothing it would have to ask again.</summary>
    private static JObject ExternalHubContext(HandoffRequest handoff) => new()
    {
        ["handoffId"] = handoff.Id,
        ["skill"] = handoff.Department,
        ["department"] = handoff.Department,
        ["reason"] = handoff.Reason.ToString(),
        ["priority"] = handoff.Priority.ToString(),
        ["request"] = handoff.Request,
        ["sentiment"] = handoff.Sentiment,
        ["patientName"] = handoff.PatientName,
        ["patientUserId"] = handoff.PatientUserId,
        ["channelId"] = handoff.ChannelId,
        ["context"] = JObject.FromObject(handoff.Context),
    };
}

/// <summary>Which team, why, and what the patient asked for.</summary>
public sealed record HandoffDialogOptions(
    string DepartmentKey,
    HandoffReason Reason,
    string? Request,
    HandoffPriority Priority = HandoffPriority.Normal,
    string? Sentiment = null,
    Dictionary<string, string>? Context = null);
