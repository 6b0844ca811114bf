namespace ClinicBot.Dialogs.Framework;

/// <summary>
/// Decides whether a prompt's input is acceptable. Return true to end the prompt with
/// <c>promptContext.Recognized.Value</c>; false to retry. A validator may send its own message; if it does,
/// the prompt does not also send its retry prompt that turn.
/// </summary>
/// <typeparam name="T">The prompt's value type.</typeparam>
/// <param name="promptContext">The validator context.</param>
/// <param name="cancellationToken">Cancellation token.</param>
/// <returns>True when the input is accepted.</returns>
public delegate Task<bool> PromptValidator<T>(PromptValidatorContext<T> promptContext, CancellationToken cancellationToken);
