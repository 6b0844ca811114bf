using Microsoft.Bot.Builder;

namespace ClinicBot.Dialogs.Framework;

/// <summary>Entry point for running a root dialog from a bot's turn handler.</summary>
public static class DialogExtensions
{
    /// <summary>
    /// Runs <paramref name="dialog"/> for this turn, like Bot Framework's <c>DialogExtensions.RunAsync</c>: continues the active
    /// dialog, or begins <paramref name="dialog"/> when nothing is active. The caller must save the state afterwards
    /// (e.g. <c>conversationState.SaveChangesAsync</c> or <c>AutoSaveStateMiddleware</c>).
    /// </summary>
    /// <param name="dialog">The root dialog.</param>
    /// <param name="turnContext">The turn context.</param>
    /// <param name="accessor">Accessor for the persisted dialog stack.</param>
    /// <param name="cancellationToken">Cancellation token.</param>
    /// <returns>The turn result: Waiting while the dialog is in progress, Complete (with its result) when it finished this turn.</returns>
    public static async Task<DialogTurnResult> RunAsync(this Dialog dialog, ITurnContext turnContext, IStatePropertyAccessor<DialogState> accessor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dialog);
        ArgumentNullException.ThrowIfNull(turnContext);
        ArgumentNullException.ThrowIfNull(accessor);

        var dialogSet = new DialogSet(accessor).Add(dialog);
        var dc = await dialogSet.CreateContextAsync(turnContext, cancellationToken);
        var result = await dc.ContinueDialogAsync(cancellationToken);
        if (result.Status == DialogTurnStatus.Empty)
        {
            result = await dc.BeginDialogAsync(dialog.Id, null, cancellationToken);
        }

        return result;
    }
}
