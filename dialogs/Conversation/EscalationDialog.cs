using ClinicBot.Dialogs.Framework;
using ClinicBot.Dialogs.Handoff;
using ClinicBot.Dialogs.Phrasing;
using Microsoft.Bot.Builder;

namespace ClinicBot.Dialogs.Conversation;

/// <summary>Offers a supervisor to a patient who stays upset; yes brings one in with priority and context.</summary>
public sealed class EscalationDialog : ComponentDialog
{
    private const string Confirm = nameof(EscalationDialog) + ".confirm";
    private const string Steps = nameof(EscalationDialog) + ".steps";
    private const string RequestKey = "request";

    public EscalationDialog(HandoffDialog handoffDialog)
        : base(nameof(EscalationDialog))
    {
        AddDialog(new ConfirmPrompt(Confirm));
        AddDialog(handoffDialog);
        AddDialog(new WaterfallDialog(Steps, [OfferStepAsync, ActStepAsync]));
        InitialDialogId = Steps;
    }

    private static Task<DialogTurnResult> OfferStepAsync(WaterfallStepContext step, CancellationToken cancellationToken)
    {
        step.Values[RequestKey] = step.Context.Activity.Text;
        return step.PromptAsync(Confirm, new PromptOptions
        {
            Prompt = MessageFactory.Text(DifficultConversationPhrases.OfferSupervisor),
            RetryPrompt = MessageFactory.Text(DifficultConversationPhrases.OfferSupervisorRetry),
            MaxAttempts = 2,
        }, cancellationToken);
    }

    private static async Task<DialogTurnResult> ActStepAsync(WaterfallStepContext step, CancellationToken cancellationToken)
    {
        if (step.Result is true)
        {
            return await step.ReplaceDialogAsync(
                nameof(HandoffDialog),
                new HandoffDialogOptions("supervisor", HandoffReason.Frustration, step.Values.GetValue<string>(RequestKey), HandoffPriority.High, Sentiment: "angry"),
                cancellationToken);
        }

        await step.Context.SendActivityAsync(DifficultConversationPhrases.SupervisorDeclined, cancellationToken: cancellationToken);
        return await step.EndDialogAsync(null, cancellationToken);
    }
}
