using Microsoft.Bot.Builder;

namespace ClinicBot.Dialogs.Framework;

/// <summary>A collection of dialogs that can call each other, bound to a persisted <see cref="DialogState"/>.</summary>
public sealed class DialogSet
{
    private readonly Dictionary<string, Dialog> _dialogs = new(StringComparer.Ordinal);
    private readonly IStatePropertyAccessor<DialogState>? _dialogState;

    /// <summary>Creates a dialog set whose stack is read from and written to <paramref name="dialogState"/>.</summary>
    /// <param name="dialogState">Accessor for the persisted dialog stack (usually on ConversationState).</param>
    public DialogSet(IStatePropertyAccessor<DialogState> dialogState)
    {
        _dialogState = dialogState ?? throw new ArgumentNullException(nameof(dialogState));
    }

    /// <summary>Creates a dialog set with no state accessor (used inside <see cref="ComponentDialog"/>).</summary>
    public DialogSet()
    {
    }

    /// <summary>Adds a dialog. Adding the same instance twice is a no-op; a different dialog with the same id throws.</summary>
    /// <param name="dialog">The dialog to add.</param>
    /// <returns>This set, for chaining.</returns>
    public DialogSet Add(Dialog dialog)
    {
        ArgumentNullException.ThrowIfNull(dialog);
        if (_dialogs.TryGetValue(dialog.Id, out var existing))
        {
            if (ReferenceEquals(existing, dialog))
            {
                return this;
            }

            throw new ArgumentException($"A dialog with id '{dialog.Id}' has already been added.", nameof(dialog));
        }

        _dialogs.Add(dialog.Id, dialog);
        return this;
    }

    /// <summary>Finds a dialog in this set by id.</summary>
    /// <param name="dialogId">The dialog id.</param>
    /// <returns>The dialog, or null if it is not in this set.</returns>
    public Dialog? Find(string dialogId) => _dialogs.GetValueOrDefault(dialogId);

    /// <summary>Gets the dialogs in this set.</summary>
    /// <returns>The dialogs.</returns>
    public IEnumerable<Dialog> GetDialogs() => _dialogs.Values;

    /// <summary>Loads the dialog stack for this turn and returns a context to drive it.</summary>
    /// <param name="turnContext">The turn context.</param>
    /// <param name="cancellationToken">Cancellation token.</param>
    /// <returns>A dialog context for the turn.</returns>
    public async Task<DialogContext> CreateContextAsync(ITurnContext turnContext, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        if (_dialogState is null)
        {
            throw new InvalidOperationException("This DialogSet was created without a state property accessor.");
        }

        var state = await _dialogState.GetAsync(turnContext, () => new DialogState(), cancellationToken);

        // Write the typed object back so the state cache holds the instance we mutate, whatever the storage returned.
        await _dialogState.SetAsync(turnContext, state, cancellationToken);
        return new DialogContext(this, turnContext, state);
    }
}
