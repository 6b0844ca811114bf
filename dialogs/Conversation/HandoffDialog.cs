using ClinicBot.Dialogs.Clinic;
using ClinicBot.Dialogs.Framework;
using ClinicBot.Dialogs.Handoff;
using ClinicBot.Dialogs.Patients;
using ClinicBot.Dialogs.Phrasing;
using Microsoft.Bot.Builder;
using Microsoft.Extensions.Options;

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

    public HandoffDialog(
        IHandoffQueue queue,
        IStaffPresence presence,
        ClinicCalendar calendar,
        ConversationStateAccessors accessors,
        IOptions<HandoffOptions> options,
        FollowUpDialog followUpDialog)
        : base(nameof(HandoffDialog))
    {
        _queue = queue;
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

        if (!_calendar.IsOpen() || !_presence.IsAvailable(department.Key))
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

        // Durable first: the patient is only told once the request cannot be lost.
        var placement = await _queue.EnqueueAsync(handoff, cancellationToken);
        conversation.ActiveHandoffId = handoff.Id;
        conversation.HandoffStage = HandoffStage.Waiting;

        await step.Context.SendActivityAsync(HandoffPhrases.Transfer(department, options.Reason), cancellationToken: cancellationToken);
        await step.Context.SendActivityAsync(HandoffPhrases.InLine(placement.Position, placement.EstimatedWait), cancellationToken: cancellationToken);
        return await step.EndDialogAsync(handoff.Id, cancellationToken);
    }
}

/// <summary>Which team, why, and what the patient asked for.</summary>
public sealed record HandoffDialogOptions(
    string DepartmentKey,
    HandoffReason Reason,
    string? Request,
    HandoffPriority Priority = HandoffPriority.Normal,
    string? Sentiment = null,
    Dictionary<string, string>? Context = null);
