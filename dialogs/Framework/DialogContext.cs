using Microsoft.Bot.Builder;

namespace ClinicBot.Dialogs.Framework;

/// <summary>Drives a dialog stack for one turn, modelled on Bot Framework's <c>DialogContext</c>.</summary>
public class DialogContext
{
    /// <summary>Creates a dialog context over an existing stack.</summary>
    /// <param name="dialogs">The dialogs that can be started from this context.</param>
    /// <param name="turnContext">The turn context.</param>
    /// <param name="state">The dialog stack to operate on.</param>
    /// <param name="parent">The parent context (for dialogs inside a <see cref="ComponentDialog"/>), if any.</param>
    public DialogContext(DialogSet dialogs, ITurnContext turnContext, DialogState state, DialogContext? parent = null)
    {
        Dialogs = dialogs ?? throw new ArgumentNullException(nameof(dialogs));
        Context = turnContext ?? throw new ArgumentNullException(nameof(turnContext));
        State = state ?? throw new ArgumentNullException(nameof(state));
        Parent = parent;
    }

    /// <summary>Gets the dialogs that can be started from this context.</summary>
    public DialogSet Dialogs { get; }

    /// <summary>Gets the turn context.</summary>
    public ITurnContext Context { get; }

    /// <summary>Gets the parent context, when this context belongs to a <see cref="ComponentDialog"/>.</summary>
    public DialogContext? Parent { get; }

    /// <summary>Gets the dialog stack; index 0 is the active dialog.</summary>
    public List<DialogInstance> Stack => State.DialogStack;

    /// <summary>Gets the active (top-most) dialog instance, or null when the stack is empty.</summary>
    public DialogInstance? ActiveDialog => Stack.Count > 0 ? Stack[0] : null;

    /// <summary>Gets the persisted state object this context operates on.</summary>
    internal DialogState State { get; }

    /// <summary>Finds a dialog by id in this context's set, then in the parents' sets.</summary>
    /// <param name="dialogId">The dialog id.</param>
    /// <returns>The dialog, or null.</returns>
    public Dialog? FindDialog(string dialogId) => Dialogs.Find(dialogId) ?? Parent?.FindDialog(dialogId);

    /// <summary>Pushes a dialog onto the stack and starts it.</summary>
    /// <param name="dialogId">Id of the dialog to start.</param>
    /// <param name="options">Arguments for the dialog.</param>
    /// <param name="cancellationToken">Cancellation token.</param>
    /// <returns>The turn result.</returns>
    public async Task<DialogTurnResult> BeginDialogAsync(string dialogId, object? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dialogId);
        var dialog = FindDialog(dialogId)
            ?? throw new InvalidOperationException($"Dialog '{dialogId}' was not found. Add it to the DialogSet or ComponentDialog first.");

        Stack.Insert(0, new DialogInstance { Id = dialogId });
        return await dialog.BeginDialogAsync(this, options, cancellationToken);
    }

    /// <summary>Starts a prompt dialog with the given options.</summary>
    /// <param name="dialogId">Id of the prompt to start.</param>
    /// <param name="options">The prompt's options.</param>
    /// <param name="cancellationToken">Cancellation token.</param>
    /// <returns>The turn result.</returns>
    public Task<DialogTurnResult> PromptAsync(string dialogId, PromptOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        return BeginDialogAsync(dialogId, options, cancellationToken);
    }

    /// <summary>Passes the current turn to the active dialog. Returns <see cref="DialogTurnStatus.Empty"/> when nothing is active.</summary>
    /// <param name="cancellationToken">Cancellation token.</param>
    /// <returns>The turn result.</returns>
    public async Task<DialogTurnResult> ContinueDialogAsync(CancellationToken cancellationToken = default)
    {
        var instance = ActiveDialog;
        if (instance is null)
        {
            return new DialogTurnResult(DialogTurnStatus.Empty);
        }

        var dialog = FindDialog(instance.Id)
            ?? throw new InvalidOperationException($"The active dialog '{instance.Id}' was not found. Was it renamed or removed?");
        return await dialog.ContinueDialogAsync(this, cancellationToken);
    }

    /// <summary>
    /// Ends the active dialog and resumes its parent with <paramref name="result"/>; when the stack becomes empty
    /// returns <see cref="DialogTurnStatus.Complete"/> with the result.
    /// </summary>
    /// <param name="result">The value to return to the caller.</param>
    /// <param name="cancellationToken">Cancellation token.</param>
    /// <returns>The turn result.</returns>
    public async Task<DialogTurnResult> EndDialogAsync(object? result = null, CancellationToken cancellationToken = default)
    {
        await EndActiveDialogAsync(DialogReason.EndCalled, cancellationToken);

        var instance = ActiveDialog;
        if (instance is null)
        {
            return new DialogTurnResult(DialogTurnStatus.Complete, result);
        }

        var dialog = FindDialog(instance.Id)
            ?? throw new InvalidOperationException($"Cannot resume dialog '{instance.Id}': it was not found.");
        return await dialog.ResumeDialogAsync(this, DialogReason.EndCalled, result, cancellationToken);
    }

    /// <summary>Ends the active dialog (without resuming its parent) and starts another in its place.</summary>
    /// <param name="dialogId">Id of the dialog to start.</param>
    /// <param name="options">Arguments for the new dialog.</param>
    /// <param name="cancellationToken">Cancellation token.</param>
    /// <returns>The turn result.</returns>
    public async Task<DialogTurnResult> ReplaceDialogAsync(string dialogId, object? options = null, CancellationToken cancellationToken = default)
    {
        await EndActiveDialogAsync(DialogReason.ReplaceCalled, cancellationToken);
        return await BeginDialogAsync(dialogId, options, cancellationToken);
    }

    /// <summary>Cancels every dialog on the stack, top first.</summary>
    /// <param name="cancellationToken">Cancellation token.</param>
    /// <returns><see cref="DialogTurnStatus.Cancelled"/> when something was cancelled, otherwise <see cref="DialogTurnStatus.Empty"/>.</returns>
    public async Task<DialogTurnResult> CancelAllDialogsAsync(CancellationToken cancellationToken = default)
    {
        if (Stack.Count == 0)
        {
            return new DialogTurnResult(DialogTurnStatus.Empty);
        }

        while (Stack.Count > 0)
        {
            await EndActiveDialogAsync(DialogReason.CancelCalled, cancellationToken);
        }

        return new DialogTurnResult(DialogTurnStatus.Cancelled);
    }

    /// <summary>Asks the active dialog to re-send its prompt.</summary>
    /// <param name="cancellationToken">Cancellation token.</param>
    /// <returns>A task.</returns>
    public async Task RepromptDialogAsync(CancellationToken cancellationToken = default)
    {
        var instance = ActiveDialog;
        if (instance is null)
        {
            return;
        }

        var dialog = FindDialog(instance.Id)
            ?? throw new InvalidOperationException($"Cannot reprompt dialog '{instance.Id}': it was not found.");
        await dialog.RepromptDialogAsync(Context, instance, cancellationToken);
    }

    private async Task EndActiveDialogAsync(DialogReason reason, CancellationToken cancellationToken)
    {
        var instance = ActiveDialog;
        if (instance is null)
        {
            return;
        }

        var dialog = FindDialog(instance.Id);
        if (dialog is not null)
        {
            await dialog.EndDialogAsync(Context, instance, reason, cancellationToken);
        }

        Stack.RemoveAt(0);
    }
}
