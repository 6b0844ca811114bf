using Microsoft.Bot.Builder;

namespace ClinicBot.Dialogs.Framework;

/// <summary>
/// A dialog made of other dialogs with its own inner stack, modelled on Bot Framework's <c>ComponentDialog</c>.
/// Override <see cref="OnBeginDialogAsync"/> / <see cref="OnContinueDialogAsync"/> to intercept turns
/// (for example to handle "help" or "cancel") before the inner dialogs see them.
/// </summary>
public class ComponentDialog : Dialog
{
    /// <summary>Key of the inner dialog stack inside this dialog's instance state.</summary>
    public const string PersistedDialogState = "dialogs";

    /// <summary>Creates a component dialog.</summary>
    /// <param name="dialogId">The dialog id.</param>
    public ComponentDialog(string dialogId)
        : base(dialogId)
    {
    }

    /// <summary>Gets or sets the id of the inner dialog started when this component begins. Defaults to the first dialog added.</summary>
    public string? InitialDialogId { get; set; }

    /// <summary>Gets the inner dialogs.</summary>
    protected DialogSet Dialogs { get; } = new();

    /// <summary>Adds an inner dialog. The first one added becomes <see cref="InitialDialogId"/> unless set explicitly.</summary>
    /// <param name="dialog">The dialog to add.</param>
    /// <returns>This component, for chaining.</returns>
    public ComponentDialog AddDialog(Dialog dialog)
    {
        Dialogs.Add(dialog);
        InitialDialogId ??= dialog.Id;
        return this;
    }

    /// <summary>Finds an inner dialog by id.</summary>
    /// <param name="dialogId">The dialog id.</param>
    /// <returns>The dialog, or null.</returns>
    public Dialog? FindDialog(string dialogId) => Dialogs.Find(dialogId);

    /// <inheritdoc/>
    public override async Task<DialogTurnResult> BeginDialogAsync(DialogContext dc, object? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dc);
        var innerDc = CreateInnerDialogContext(dc);
        var turnResult = await OnBeginDialogAsync(innerDc, options, cancellationToken);
        return turnResult.Status == DialogTurnStatus.Waiting
            ? EndOfTurn
            : await EndComponentAsync(dc, turnResult.Result, cancellationToken);
    }

    /// <inheritdoc/>
    public override async Task<DialogTurnResult> ContinueDialogAsync(DialogContext dc, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dc);
        var innerDc = CreateInnerDialogContext(dc);
        var turnResult = await OnContinueDialogAsync(innerDc, cancellationToken);
        return turnResult.Status == DialogTurnStatus.Waiting
            ? EndOfTurn
            : await EndComponentAsync(dc, turnResult.Result, cancellationToken);
    }

    /// <summary>
    /// Called if a dialog the component pushed onto the <em>outer</em> stack ends. Inner dialogs normally run on the inner stack,
    /// so this just re-prompts the inner active dialog and waits.
    /// </summary>
    /// <param name="dc">The outer dialog context.</param>
    /// <param name="reason">Why the dialog is resumed.</param>
    /// <param name="result">The ended dialog's result.</param>
    /// <param name="cancellationToken">Cancellation token.</param>
    /// <returns><see cref="Dialog.EndOfTurn"/>.</returns>
    public override async Task<DialogTurnResult> ResumeDialogAsync(DialogContext dc, DialogReason reason, object? result = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dc);
        await RepromptDialogAsync(dc.Context, dc.ActiveDialog!, cancellationToken);
        return EndOfTurn;
    }

    /// <inheritdoc/>
    public override async Task RepromptDialogAsync(ITurnContext turnContext, DialogInstance instance, CancellationToken cancellationToken = default)
    {
        var innerDc = CreateInnerDialogContext(turnContext, instance, parent: null);
        await innerDc.RepromptDialogAsync(cancellationToken);
    }

    /// <inheritdoc/>
    public override async Task EndDialogAsync(ITurnContext turnContext, DialogInstance instance, DialogReason reason, CancellationToken cancellationToken = default)
    {
        if (reason == DialogReason.CancelCalled)
        {
            // Let inner dialogs run their own end logic.
            var innerDc = CreateInnerDialogContext(turnContext, instance, parent: null);
            await innerDc.CancelAllDialogsAsync(cancellationToken);
        }
    }

    /// <summary>Starts the component. Default: begin <see cref="InitialDialogId"/> on the inner stack.</summary>
    /// <param name="innerDc">The inner dialog context.</param>
    /// <param name="options">The component's options (passed on to the initial dialog).</param>
    /// <param name="cancellationToken">Cancellation token.</param>
    /// <returns>The inner turn result; anything but Waiting ends the component.</returns>
    protected virtual Task<DialogTurnResult> OnBeginDialogAsync(DialogContext innerDc, object? options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(innerDc);
        if (string.IsNullOrEmpty(InitialDialogId))
        {
            throw new InvalidOperationException($"ComponentDialog '{Id}' has no InitialDialogId. Add a dialog first.");
        }

        return innerDc.BeginDialogAsync(InitialDialogId, options, cancellationToken);
    }

    /// <summary>Continues the component. Default: continue the inner active dialog.</summary>
    /// <param name="innerDc">The inner dialog context.</param>
    /// <param name="cancellationToken">Cancellation token.</param>
    /// <returns>The inner turn result; anything but Waiting ends the component.</returns>
    protected virtual Task<DialogTurnResult> OnContinueDialogAsync(DialogContext innerDc, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(innerDc);
        return innerDc.ContinueDialogAsync(cancellationToken);
    }

    /// <summary>Ends the component on the outer stack, returning <paramref name="result"/> to its caller.</summary>
    /// <param name="outerDc">The outer dialog context.</param>
    /// <param name="result">The result of the inner stack.</param>
    /// <param name="cancellationToken">Cancellation token.</param>
    /// <returns>The outer turn result.</returns>
    protected virtual Task<DialogTurnResult> EndComponentAsync(DialogContext outerDc, object? result, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(outerDc);
        return outerDc.EndDialogAsync(result, cancellationToken);
    }

    private DialogContext CreateInnerDialogContext(DialogContext outerDc)
        => CreateInnerDialogContext(outerDc.Context, outerDc.ActiveDialog!, outerDc);

    private DialogContext CreateInnerDialogContext(ITurnContext turnContext, DialogInstance instance, DialogContext? parent)
    {
        var innerState = instance.State.GetOrAdd(PersistedDialogState, () => new DialogState());
        return new DialogContext(Dialogs, turnContext, innerState, parent);
    }
}
