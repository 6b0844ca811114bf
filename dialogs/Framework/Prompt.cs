using Microsoft.Bot.Builder;
using Microsoft.Bot.Schema;
using Newtonsoft.Json.Linq;

namespace ClinicBot.Dialogs.Framework;

/// <summary>
/// Base class for prompts, modelled on Bot Framework's <c>Prompt&lt;T&gt;</c>: sends <see cref="PromptOptions.Prompt"/>, recognizes the
/// answer, runs the optional validator, re-sends <see cref="PromptOptions.RetryPrompt"/> until the input is accepted, and gives up
/// with a <c>null</c> result after <see cref="PromptOptions.MaxAttempts"/> failed answers.
/// </summary>
/// <typeparam name="T">The type of value the prompt returns.</typeparam>
public abstract class Prompt<T> : Dialog
{
    private const string OptionsKey = "options";
    private const string StateKey = "state";
    private const string AttemptCountKey = "attemptCount";

    private readonly PromptValidator<T>? _validator;

    /// <summary>Creates a prompt.</summary>
    /// <param name="dialogId">The dialog id.</param>
    /// <param name="validator">Optional extra validation of recognized input.</param>
    protected Prompt(string dialogId, PromptValidator<T>? validator = null)
        : base(dialogId)
    {
        _validator = validator;
    }

    /// <summary>Starts the prompt. <paramref name="options"/> must be a <see cref="PromptOptions"/> (or null).</summary>
    /// <param name="dc">The dialog context.</param>
    /// <param name="options">The prompt options.</param>
    /// <param name="cancellationToken">Cancellation token.</param>
    /// <returns><see cref="Dialog.EndOfTurn"/>.</returns>
    public override async Task<DialogTurnResult> BeginDialogAsync(DialogContext dc, object? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dc);
        var promptOptions = options switch
        {
            null => new PromptOptions(),
            PromptOptions typed => typed,
            JToken token => token.ToObject<PromptOptions>() ?? new PromptOptions(),
            _ => throw new ArgumentException($"Prompt '{Id}' expects {nameof(PromptOptions)} but got {options.GetType().Name}.", nameof(options)),
        };

        if (promptOptions.MaxAttempts is < 1)
        {
            throw new ArgumentException($"{nameof(PromptOptions.MaxAttempts)} must be at least 1.", nameof(options));
        }

        var state = dc.ActiveDialog!.State;
        state[OptionsKey] = promptOptions;
        state[AttemptCountKey] = 0;
        var promptState = new Dictionary<string, object?>(StringComparer.Ordinal);
        state[StateKey] = promptState;

        await OnPromptAsync(dc.Context, promptState, promptOptions, isRetry: false, cancellationToken);
        return EndOfTurn;
    }

    /// <summary>Recognizes and validates the user's answer. Non-message activities are ignored.</summary>
    /// <param name="dc">The dialog context.</param>
    /// <param name="cancellationToken">Cancellation token.</param>
    /// <returns>Complete with the value when accepted, Complete with null when giving up, otherwise Waiting.</returns>
    public override async Task<DialogTurnResult> ContinueDialogAsync(DialogContext dc, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dc);
        if (dc.Context.Activity.Type != ActivityTypes.Message)
        {
            return EndOfTurn;
        }

        var state = dc.ActiveDialog!.State;
        var options = state.GetOrAdd(OptionsKey, () => new PromptOptions());
        var promptState = state.GetOrAdd(StateKey, () => new Dictionary<string, object?>(StringComparer.Ordinal));
        var attemptCount = state.GetValue(AttemptCountKey, 0) + 1;
        state[AttemptCountKey] = attemptCount;

        var recognized = await OnRecognizeAsync(dc.Context, promptState, options, cancellationToken);
        var isValid = _validator is null
            ? recognized.Succeeded
            : await _validator(new PromptValidatorContext<T>(dc.Context, recognized, promptState, options, attemptCount), cancellationToken);

        if (isValid)
        {
            return await dc.EndDialogAsync(recognized.Succeeded ? (object?)recognized.Value : null, cancellationToken);
        }

        if (options.MaxAttempts is int maxAttempts && attemptCount >= maxAttempts)
        {
            return await dc.EndDialogAsync(null, cancellationToken);
        }

        if (!dc.Context.Responded)
        {
            await OnPromptAsync(dc.Context, promptState, options, isRetry: true, cancellationToken);
        }

        return EndOfTurn;
    }

    /// <summary>A dialog this prompt started has ended (unusual): re-prompt and keep waiting.</summary>
    /// <param name="dc">The dialog context.</param>
    /// <param name="reason">Why the dialog is resumed.</param>
    /// <param name="result">Ignored.</param>
    /// <param name="cancellationToken">Cancellation token.</param>
    /// <returns><see cref="Dialog.EndOfTurn"/>.</returns>
    public override async Task<DialogTurnResult> ResumeDialogAsync(DialogContext dc, DialogReason reason, object? result = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dc);
        await RepromptDialogAsync(dc.Context, dc.ActiveDialog!, cancellationToken);
        return EndOfTurn;
    }

    /// <summary>Re-sends the initial prompt.</summary>
    /// <param name="turnContext">The turn context.</param>
    /// <param name="instance">The prompt's stack entry.</param>
    /// <param name="cancellationToken">Cancellation token.</param>
    /// <returns>A task.</returns>
    public override Task RepromptDialogAsync(ITurnContext turnContext, DialogInstance instance, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(instance);
        var options = instance.State.GetOrAdd(OptionsKey, () => new PromptOptions());
        var promptState = instance.State.GetOrAdd(StateKey, () => new Dictionary<string, object?>(StringComparer.Ordinal));
        return OnPromptAsync(turnContext, promptState, options, isRetry: false, cancellationToken);
    }

    /// <summary>
    /// Sends the prompt (or, when <paramref name="isRetry"/>, the retry prompt, falling back to the prompt). The activity is copied,
    /// and <see cref="GetSuggestedActions"/> are attached unless the activity already carries suggested actions.
    /// </summary>
    /// <param name="turnContext">The turn context.</param>
    /// <param name="state">The prompt's private state.</param>
    /// <param name="options">The prompt options.</param>
    /// <param name="isRetry">True when re-asking after unrecognized or rejected input.</param>
    /// <param name="cancellationToken">Cancellation token.</param>
    /// <returns>A task.</returns>
    protected virtual async Task OnPromptAsync(ITurnContext turnContext, IDictionary<string, object?> state, PromptOptions options, bool isRetry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        ArgumentNullException.ThrowIfNull(options);
        var source = isRetry && options.RetryPrompt is not null ? options.RetryPrompt : options.Prompt;
        if (source is null)
        {
            return;
        }

        var activity = CopyForSending(source);
        var actions = GetSuggestedActions(options);
        if (actions.Count > 0 && (activity.SuggestedActions?.Actions is null || activity.SuggestedActions.Actions.Count == 0))
        {
            activity.SuggestedActions = new SuggestedActions
            {
                Actions = [.. actions.Select(label => new CardAction(ActionTypes.ImBack, title: label, value: label))],
            };
        }

        await turnContext.SendActivityAsync(activity, cancellationToken);
    }

    /// <summary>
    /// A copy of a prompt's content: sending stamps conversation details onto the activity and channel middleware may
    /// edit it, and neither must reach the caller's or the stored options. (A JSON round trip did the same; it was 2.7 %
    /// of a dialog turn's CPU.)
    /// </summary>
    private static Activity CopyForSending(Activity source) => new()
    {
        Type = source.Type ?? ActivityTypes.Message,
        Text = source.Text,
        Speak = source.Speak,
        InputHint = source.InputHint,
        TextFormat = source.TextFormat,
        Locale = source.Locale,
        Summary = source.Summary,
        Importance = source.Importance,
        DeliveryMode = source.DeliveryMode,
        AttachmentLayout = source.AttachmentLayout,
        Attachments = source.Attachments?.ToList(),
        SuggestedActions = source.SuggestedActions is { } suggested ? new SuggestedActions(suggested.To?.ToList(), suggested.Actions?.ToList()) : null,
        Entities = source.Entities?.ToList(),
        ChannelData = source.ChannelData is JToken channelData ? channelData.DeepClone() : source.ChannelData,
        Name = source.Name,
        Value = source.Value is JToken value ? value.DeepClone() : source.Value,
        ValueType = source.ValueType,
    };

    /// <summary>Labels offered as suggested actions (quick replies) with the prompt. Default: none.</summary>
    /// <param name="options">The prompt options.</param>
    /// <returns>The labels; each is sent back as the user's text when tapped.</returns>
    protected virtual IReadOnlyList<string> GetSuggestedActions(PromptOptions options) => [];

    /// <summary>Recognizes a value in the current message.</summary>
    /// <param name="turnContext">The turn context.</param>
    /// <param name="state">The prompt's private state.</param>
    /// <param name="options">The prompt options.</param>
    /// <param name="cancellationToken">Cancellation token.</param>
    /// <returns>The recognition result.</returns>
    protected abstract Task<PromptRecognizerResult<T>> OnRecognizeAsync(ITurnContext turnContext, IDictionary<string, object?> state, PromptOptions options, CancellationToken cancellationToken = default);
}
