namespace ClinicBot.Dialogs.Framework;

/// <summary>Context passed to a <see cref="WaterfallStep"/>. It is a <see cref="DialogContext"/>, so steps can prompt, begin and end dialogs.</summary>
public sealed class WaterfallStepContext : DialogContext
{
    private readonly WaterfallDialog _parentWaterfall;
    private bool _nextCalled;

    internal WaterfallStepContext(
        WaterfallDialog parentWaterfall,
        DialogContext dc,
        object? options,
        IDictionary<string, object?> values,
        int index,
        string stepName,
        DialogReason reason,
        object? result)
        : base(dc.Dialogs, dc.Context, dc.State, dc.Parent)
    {
        _parentWaterfall = parentWaterfall;
        Options = options;
        Values = values;
        Index = index;
        StepName = stepName;
        Reason = reason;
        Result = result;
    }

    /// <summary>Gets the zero-based index of the current step.</summary>
    public int Index { get; }

    /// <summary>Gets the current step's name (the step method's name, e.g. <c>nameof(AskDateStepAsync)</c>).</summary>
    public string StepName { get; }

    /// <summary>Gets the options the waterfall was started with. After a storage round trip this may be a JObject; use <see cref="GetOptions{T}"/>.</summary>
    public object? Options { get; }

    /// <summary>Gets why this step is running.</summary>
    public DialogReason Reason { get; }

    /// <summary>Gets the result of the previous step's child dialog (or the user's text, or the value passed to <see cref="NextAsync"/>).</summary>
    public object? Result { get; }

    /// <summary>Gets values persisted across the steps of this waterfall. Read them back with <c>Values.GetValue&lt;T&gt;(key)</c>.</summary>
    public IDictionary<string, object?> Values { get; }

    /// <summary>Reads <see cref="Options"/> as <typeparamref name="T"/>, whether it is still the original object or a JSON token.</summary>
    /// <typeparam name="T">The options type.</typeparam>
    /// <returns>The options, or default.</returns>
    public T? GetOptions<T>() => StateDictionaryExtensions.ConvertValue<T>(Options);

    /// <summary>Skips to the next step in the same turn, passing it <paramref name="result"/>. May be called once per step.</summary>
    /// <param name="result">The value the next step sees as <see cref="Result"/>.</param>
    /// <param name="cancellationToken">Cancellation token.</param>
    /// <returns>The turn result.</returns>
    public Task<DialogTurnResult> NextAsync(object? result = null, CancellationToken cancellationToken = default)
    {
        if (_nextCalled)
        {
            throw new InvalidOperationException($"NextAsync was already called in step '{StepName}' of waterfall '{_parentWaterfall.Id}'.");
        }

        _nextCalled = true;
        return _parentWaterfall.ResumeDialogAsync(this, DialogReason.NextCalled, result, cancellationToken);
    }
}
