using ClinicBot.Dialogs.Framework;
using ClinicBot.Dialogs.Phrasing;
using ClinicBot.Dialogs.Privacy;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Schema;

namespace ClinicBot.Dialogs.Conversation;

/// <summary>
/// "Delete my data": restated for a Yes/No confirmation, then a request for staff (never an immediate deletion).
/// </summary>
public sealed class DataDeletionDialog : ComponentDialog
{
    private const string Steps = nameof(DataDeletionDialog) + ".steps";
    private const string Confirm = nameof(DataDeletionDialog) + ".confirm";
    private readonly IDataDeletionRequests _requests;
    private readonly TimeProvider _time;

    public DataDeletionDialog(IDataDeletionRequests requests, TimeProvider time)
        : base(nameof(DataDeletionDialog))
    {
        _requests = requests;
        _time = time;
        AddDialog(new ConfirmPrompt(Confirm));
        AddDialog(new WaterfallDialog(Steps, [AskStepAsync, ActStepAsync]));
        InitialDialogId = Steps;
    }

    private static async Task<DialogTurnResult> AskStepAsync(WaterfallStepContext step, CancellationToken cancellationToken) =>
        await step.PromptAsync(Confirm, new PromptOptions { Prompt = MessageFactory.Text(PrivacyPhrases.ConfirmDeletion) }, cancellationToken);

    private async Task<DialogTurnResult> ActStepAsync(WaterfallStepContext step, CancellationToken cancellationToken)
    {
        if (step.Result is not true)
        {
            await step.Context.SendActivityAsync(PrivacyPhrases.DeletionNotRequested, cancellationToken: cancellationToken);
            return await step.EndDialogAsync(cancellationToken: cancellationToken);
        }

        var activity = step.Context.Activity;
        await _requests.CreateAsync(
            new DataDeletionRequest(
                "D-" + Guid.NewGuid().ToString("N")[..10],
                activity.From?.Id ?? "unknown",
                activity.Conversation.Id,
                activity.ChannelId,
                ReplyAddress.Of(activity),
                _time.GetUtcNow()),
            cancellationToken);
        await step.Context.SendActivityAsync(PrivacyPhrases.DeletionRequested, cancellationToken: cancellationToken);
        return await step.EndDialogAsync(cancellationToken: cancellationToken);
    }
}
