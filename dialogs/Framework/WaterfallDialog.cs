using System.Reflection;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Schema;

namespace ClinicBot.Dialogs.Framework;

/// <summary>
/// A dialog that runs a fixed sequence of steps, one per turn (or several per turn via <see cref="WaterfallStepContext.NextAsync"/>),
/// modelled on Bot Framework's <c>WaterfallDialog</c>. The result of each step's child dialog (for example a prompt) is passed to the
/// next step as <see cref="WaterfallStepContext.Result"/>.
/// </summary>
/// <remarks>
/// Each step has a name: the method name for method-group steps (so <c>nameof(AskDateStepAsync)</c> identifies a step), or
/// <c>"{Id}.step{index}"</c> for lambdas. The current step's name is persisted next to its index so a conversation resumes at the
/// same named step even if steps are later inserted or reordered.
/// </remarks>
public class WaterfallDialog : Dialog
{
    private const string OptionsKey = "options";
    private const string ValuesKey = "values";
    private const string StepIndexKey = "stepIndex";
    private const string StepNameKey = "stepName";

    private readonly List<WaterfallStep> _steps = [];
    private readonly List<string> _stepNames = [];

    /// <summary>Creates a waterfall dialog.</summary>
    /// <param name="dialogId">The dialog id.</param>
    /// <param name="steps">The steps, in order.</param>
    public WaterfallDialog(string dialogId, IEnumerable<WaterfallStep>? steps = null)
        : base(dialogId)
    {
        foreach (var step in steps ?? [])
        {
            AddStep(step);
        }
    }

    /// <summary>Gets the step names, in order.</summary>
    public IReadOnlyList<string> StepNames => _stepNames;

    /// <summary>Appends a step.</summary>
    /// <param name="step">The step.</param>
    /// <returns>This dialog, for chaining.</returns>
    public WaterfallDialog AddStep(WaterfallStep step)
    {
        ArgumentNullException.ThrowIfNull(step);
        var name = step.GetMethodInfo().Name;
        if (name.Contains('<', StringComparison.Ordinal) || _stepNames.Contains(name, StringComparer.Ordinal))
        {
            name = $"{Id}.step{_steps.Count}";
        }

        _steps.Add(step);
        _stepNames.Add(name);
        return this;
    }

    /// <inheritdoc/>
    public override Task<DialogTurnResult> BeginDialogAsync(DialogContext dc, object? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dc);
        var state = dc.ActiveDialog!.State;
        state[OptionsKey] = options;
        state[ValuesKey] = new Dictionary<string, object?>(StringComparer.Ordinal);
        return RunStepAsync(dc, 0, DialogReason.BeginCalled, null, cancellationToken);
    }

    /// <summary>Passes the user's message text to the next step. Non-message activities are ignored (the dialog keeps waiting).</summary>
    /// <param name="dc">The dialog context.</param>
    /// <param name="cancellationToken">Cancellation token.</param>
    /// <returns>The turn result.</returns>
    public override Task<DialogTurnResult> ContinueDialogAsync(DialogContext dc, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dc);
        if (dc.Context.Activity.Type != ActivityTypes.Message)
        {
            return Task.FromResult(EndOfTurn);
        }

        return ResumeDialogAsync(dc, DialogReason.ContinueCalled, dc.Context.Activity.Text, cancellationToken);
    }

    /// <summary>Runs the step after the current one, passing it <paramref name="result"/>.</summary>
    /// <param name="dc">The dialog context.</param>
    /// <param name="reason">Why the dialog is resumed.</param>
    /// <param name="result">The result of the child dialog (or the value passed to <see cref="WaterfallStepContext.NextAsync"/>).</param>
    /// <param name="cancellationToken">Cancellation token.</param>
    /// <returns>The turn result.</returns>
    public override Task<DialogTurnResult> ResumeDialogAsync(DialogContext dc, DialogReason reason, object? result = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dc);
        var index = CurrentStepIndex(dc.ActiveDialog!.State);
        return RunStepAsync(dc, index + 1, reason, result, cancellationToken);
    }

    /// <summary>Runs a single step. Override to add logging or telemetry around steps.</summary>
    /// <param name="stepContext">The step context.</param>
    /// <param name="cancellationToken">Cancellation token.</param>
    /// <returns>The step's turn result.</returns>
    protected virtual Task<DialogTurnResult> OnStepAsync(WaterfallStepContext stepContext, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stepContext);
        return _steps[stepContext.Index](stepContext, cancellationToken);
    }

    private async Task<DialogTurnResult> RunStepAsync(DialogContext dc, int index, DialogReason reason, object? result, CancellationToken cancellationToken)
    {
        if (index >= _steps.Count)
        {
            // Past the last step: the waterfall returns the last step's result.
            return await dc.EndDialogAsync(result, cancellationToken);
        }

        var state = dc.ActiveDialog!.State;
        state[StepIndexKey] = index;
        state[StepNameKey] = _stepNames[index];
        var values = state.GetOrAdd(ValuesKey, () => new Dictionary<string, object?>(StringComparer.Ordinal));
        var stepContext = new WaterfallStepContext(this, dc, state.GetValueOrDefault(OptionsKey), values, index, _stepNames[index], reason, result);
        return await OnStepAsync(stepContext, cancellationToken);
    }

    private int CurrentStepIndex(Dictionary<string, object?> state)
    {
        var index = state.GetValue(StepIndexKey, 0);
        var name = state.GetValue<string>(StepNameKey);
        if (name is not null && (index >= _stepNames.Count || _stepNames[index] != name))
        {
            var byName = _stepNames.IndexOf(name);
            if (byName >= 0)
            {
                return byName;
            }
        }

        return index;
    }
}
