using ClinicBot.Dialogs.Framework;
using ClinicBot.Dialogs.Interruptions;
using ClinicBot.Dialogs.Phrasing;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Schema;

namespace ClinicBot.Dialogs.Conversation;

/// <summary>
/// The one place help, start-over, talk-to-a-person and delete-my-data are handled, before any step of any child dialog
/// runs (Bot Framework's CancelAndHelpDialog pattern).
/// </summary>
public abstract class InterruptibleDialog(string dialogId) : ComponentDialog(dialogId)
{
    protected override async Task<DialogTurnResult> OnContinueDialogAsync(DialogContext innerDc, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(innerDc);
        return await InterruptAsync(innerDc, cancellationToken) ?? await base.OnContinueDialogAsync(innerDc, cancellationToken);
    }

    protected override async Task<DialogTurnResult> OnBeginDialogAsync(DialogContext innerDc, object? options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(innerDc);
        return await InterruptAsync(innerDc, cancellationToken) ?? await base.OnBeginDialogAsync(innerDc, options, cancellationToken);
    }

    /// <summary>Starts the handoff to a person; the subclass decides how.</summary>
    protected abstract Task<DialogTurnResult> BeginTalkToPersonAsync(DialogContext innerDc, CancellationToken cancellationToken);

    private async Task<DialogTurnResult?> InterruptAsync(DialogContext innerDc, CancellationToken cancellationToken)
    {
        var activity = innerDc.Context.Activity;
        if (activity.Type != ActivityTypes.Message)
        {
            return null;
        }

        switch (InterruptionRecognizer.Recognize(activity.Text))
        {
            case Interruption.Help:
                await innerDc.Context.SendActivityAsync(QuickReplies.Message(GreetingPhrases.Help, GreetingPhrases.StarterChoices), cancellationToken);
                if (innerDc.ActiveDialog is not null)
                {
                    await innerDc.RepromptDialogAsync(cancellationToken);
                    return Dialog.EndOfTurn;
                }

                return new DialogTurnResult(DialogTurnStatus.Complete);

            case Interruption.StartOver:
                await innerDc.CancelAllDialogsAsync(cancellationToken);
                await innerDc.Context.SendActivityAsync(GreetingPhrases.StartedOver, cancellationToken: cancellationToken);
                return new DialogTurnResult(DialogTurnStatus.Cancelled);

            case Interruption.DeleteMyData:
                await innerDc.CancelAllDialogsAsync(cancellationToken);
                return await innerDc.BeginDialogAsync(nameof(DataDeletionDialog), cancellationToken: cancellationToken);

            case Interruption.TalkToPerson:
                await innerDc.CancelAllDialogsAsync(cancellationToken);
                return await BeginTalkToPersonAsync(innerDc, cancellationToken);

            default:
                return null;
        }
    }
}
