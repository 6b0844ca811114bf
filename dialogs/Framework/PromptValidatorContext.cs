using Microsoft.Bot.Builder;

namespace ClinicBot.Dialogs.Framework;

/// <summary>Passed to a <see cref="PromptValidator{T}"/>.</summary>
/// <typeparam name="T">The prompt's value type.</typeparam>
public sealed class PromptValidatorContext<T>
{
    /// <summary>Creates a validator context.</summary>
    /// <param name="turnContext">The turn context.</param>
    /// <param name="recognized">What the prompt recognized.</param>
    /// <param name="state">The prompt's private persisted state, free for the validator to use.</param>
    /// <param name="options">The prompt's options.</param>
    /// <param name="attemptCount">How many answers the user has given to this prompt, including this one (1-based).</param>
    public PromptValidatorContext(ITurnContext turnContext, PromptRecognizerResult<T> recognized, IDictionary<string, object?> state, PromptOptions options, int attemptCount)
    {
        Context = turnContext;
        Recognized = recognized;
        State = state;
        Options = options;
        AttemptCount = attemptCount;
    }

    /// <summary>Gets the turn context.</summary>
    public ITurnContext Context { get; }

    /// <summary>Gets what the prompt recognized. A validator may change <see cref="PromptRecognizerResult{T}.Value"/>.</summary>
    public PromptRecognizerResult<T> Recognized { get; }

    /// <summary>Gets the prompt's private persisted state.</summary>
    public IDictionary<string, object?> State { get; }

    /// <summary>Gets the prompt's options.</summary>
    public PromptOptions Options { get; }

    /// <summary>Gets how many answers the user has given to this prompt, including this one (1-based).</summary>
    public int AttemptCount { get; }
}
