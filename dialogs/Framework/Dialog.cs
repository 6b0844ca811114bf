using Microsoft.Bot.Builder;

namespace ClinicBot.Dialogs.Framework;

/// <summary>Base class for all dialogs, modelled on Bot Framework's <c>Microsoft.Bot.Builder.Dialogs.Dialog</c>.</summary>
public abstract class Dialog
{
    /// <summary>Returned by a dialog that is waiting for the user's next message.</summary>
    public static readonly DialogTurnResult EndOfTurn = new(DialogTurnStatus.Waiting);

    /// <summary>Creates a dialog with the given id.</summary>
    /// <param name="dialogId">Unique id of the dialog within its <see cref="DialogSet"/>.</param>
    protected Dialog(string dialogId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dialogId);
        Id = dialogId;
    }

    /// <summary>Gets the dialog's id.</summary>
    public string Id { get; }

    /// <summary>Called when the dialog is pushed onto the stack.</summary>
    /// <param name="dc">The dialog context for the current turn.</param>
    /// <param name="options">Arguments passed by the caller; may be null.</param>
    /// <param name="cancellationToken">Cancellation token.</param>
    /// <returns>The turn result.</returns>
    public abstract Task<DialogTurnResult> BeginDialogAsync(DialogContext dc, object? options = null, CancellationToken cancellationToken = default);

    /// <summary>Called when the user sends a message while this dialog is active. Default: end the dialog.</summary>
    /// <param name="dc">The dialog context for the current turn.</param>
    /// <param name="cancellationToken">Cancellation token.</param>
    /// <returns>The turn result.</returns>
    public virtual Task<DialogTurnResult> ContinueDialogAsync(DialogContext dc, CancellationToken cancellationToken = default)
        => dc.EndDialogAsync(null, cancellationToken);

    /// <summary>Called when a child dialog this dialog started has ended. Default: end this dialog with the child's result.</summary>
    /// <param name="dc">The dialog context for the current turn.</param>
    /// <param name="reason">Why the dialog is resumed.</param>
    /// <param name="result">The child's result, if any.</param>
    /// <param name="cancellationToken">Cancellation token.</param>
    /// <returns>The turn result.</returns>
    public virtual Task<DialogTurnResult> ResumeDialogAsync(DialogContext dc, DialogReason reason, object? result = null, CancellationToken cancellationToken = default)
        => dc.EndDialogAsync(result, cancellationToken);

    /// <summary>Asks the dialog to re-send its current prompt, if it has one. Default: nothing.</summary>
    /// <param name="turnContext">The turn context.</param>
    /// <param name="instance">The dialog's stack entry.</param>
    /// <param name="cancellationToken">Cancellation token.</param>
    /// <returns>A task.</returns>
    public virtual Task RepromptDialogAsync(ITurnContext turnContext, DialogInstance instance, CancellationToken cancellationToken = default)
        => Task.CompletedTask;

    /// <summary>Called when the dialog is popped off the stack (ended, replaced or cancelled). Default: nothing.</summary>
    /// <param name="turnContext">The turn context.</param>
    /// <param name="instance">The dialog's stack entry.</param>
    /// <param name="reason">Why the dialog is ending.</param>
    /// <param name="cancellationToken">Cancellation token.</param>
    /// <returns>A task.</returns>
    public virtual Task EndDialogAsync(ITurnContext turnContext, DialogInstance instance, DialogReason reason, CancellationToken cancellationToken = default)
        => Task.CompletedTask;
}
