using ClinicBot.Dialogs.Framework;
using ClinicBot.Dialogs.Handoff;
using ClinicBot.Dialogs.Interruptions;
using Microsoft.Bot.Builder;
using Microsoft.Extensions.Options;

namespace ClinicBot.Dialogs.Conversation;

/// <summary>The root dialog: interruptions first, then the patient's request (or a name, when we asked).</summary>
public sealed class MainDialog : InterruptibleDialog
{
    private const string Steps = nameof(MainDialog) + ".steps";
    private readonly HandoffOptions _handoff;

    public MainDialog(AskNameDialog askName, RequestDialog request, HandoffDialog handoff, EscalationDialog escalation, DataDeletionDialog dataDeletion, IOptions<HandoffOptions> handoffOptions)
        : base(nameof(MainDialog))
    {
        _handoff = handoffOptions.Value;
        AddDialog(askName);
        AddDialog(escalation);
        AddDialog(request);
        AddDialog(handoff);
        AddDialog(dataDeletion);
        AddDialog(new WaterfallDialog(Steps, [StartStepAsync, HandleLeftoverRequestStepAsync]));
        InitialDialogId = Steps;
    }

    /// <summary>Starts the conversation by asking a visitor's name, unless a dialog is already running.</summary>
    public async Task BeginAskNameAsync(ITurnContext turnContext, IStatePropertyAccessor<DialogState> dialogState, CancellationToken cancellationToken)
    {
        var dialogs = new DialogSet(dialogState).Add(this);
        var dc = await dialogs.CreateContextAsync(turnContext, cancellationToken);
        if (dc.ActiveDialog is null)
        {
            await dc.BeginDialogAsync(Id, new MainDialogOptions(AskName: true), cancellationToken);
        }
    }

    /// <summary>Sets aside whatever was running and offers the patient a supervisor.</summary>
    public async Task BeginSupervisorOfferAsync(ITurnContext turnContext, IStatePropertyAccessor<DialogState> dialogState, CancellationToken cancellationToken)
    {
        var dialogs = new DialogSet(dialogState).Add(this);
        var dc = await dialogs.CreateContextAsync(turnContext, cancellationToken);
        await dc.CancelAllDialogsAsync(cancellationToken);
        await dc.BeginDialogAsync(Id, new MainDialogOptions(AskName: false, OfferSupervisor: true), cancellationToken);
    }

    protected override Task<DialogTurnResult> BeginTalkToPersonAsync(DialogContext innerDc, CancellationToken cancellationToken)
    {
        var text = innerDc.Context.Activity.Text;
        var department = InterruptionRecognizer.AsksForSupervisor(text) ? "supervisor" : _handoff.DefaultDepartment;
        return innerDc.BeginDialogAsync(nameof(HandoffDialog), new HandoffDialogOptions(department, HandoffReason.PatientAsked, Request: null), cancellationToken);
    }

    private static Task<DialogTurnResult> StartStepAsync(WaterfallStepContext step, CancellationToken cancellationToken) =>
        step.GetOptions<MainDialogOptions>() switch
        {
            { AskName: true } => step.BeginDialogAsync(nameof(AskNameDialog), null, cancellationToken),
            { OfferSupervisor: true } => step.BeginDialogAsync(nameof(EscalationDialog), null, cancellationToken),
            _ => step.BeginDialogAsync(nameof(RequestDialog), null, cancellationToken),
        };

    private static async Task<DialogTurnResult> HandleLeftoverRequestStepAsync(WaterfallStepContext step, CancellationToken cancellationToken) =>
        step.Result is UnansweredRequest leftover
            ? await step.ReplaceDialogAsync(nameof(RequestDialog), leftover, cancellationToken)
            : await step.EndDialogAsync(null, cancellationToken);
}

public sealed record MainDialogOptions(bool AskName, bool OfferSupervisor = false);
