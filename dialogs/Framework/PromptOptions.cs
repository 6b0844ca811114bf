using Microsoft.Bot.Schema;

namespace ClinicBot.Dialogs.Framework;

/// <summary>Options passed to a prompt via <see cref="DialogContext.PromptAsync"/>. All user-facing text comes from here.</summary>
public sealed class PromptOptions
{
    /// <summary>Gets or sets the activity sent when the prompt starts (and on reprompt). If null, nothing is sent.</summary>
    public Activity? Prompt { get; set; }

    /// <summary>Gets or sets the activity sent after unrecognized or rejected input. Defaults to <see cref="Prompt"/> when null.</summary>
    public Activity? RetryPrompt { get; set; }

    /// <summary>Gets or sets the choices for a <see cref="ChoicePrompt"/>.</summary>
    public List<Choice>? Choices { get; set; }

    /// <summary>
    /// Gets or sets extra data for a custom validator. After a storage round trip this is a JToken; read it with <see cref="GetValidations{T}"/>.
    /// </summary>
    public object? Validations { get; set; }

    /// <summary>
    /// Gets or sets how many answers the user may give before the prompt gives up. When the answer number
    /// <c>MaxAttempts</c> is still unrecognized or rejected, the prompt ends with a <c>null</c> result and sends no retry prompt,
    /// so the caller can offer another route (for example a person). Null (the default) means retry forever.
    /// </summary>
    public int? MaxAttempts { get; set; }

    /// <summary>Reads <see cref="Validations"/> as <typeparamref name="T"/>, whether it is the original object or a JSON token.</summary>
    /// <typeparam name="T">The validations type.</typeparam>
    /// <returns>The validations, or default.</returns>
    public T? GetValidations<T>() => StateDictionaryExtensions.ConvertValue<T>(Validations);
}
