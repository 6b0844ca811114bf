namespace ClinicBot.Dialogs.Framework;

/// <summary>What a prompt recognized in the user's input.</summary>
/// <typeparam name="T">The prompt's value type.</typeparam>
public sealed class PromptRecognizerResult<T>
{
    /// <summary>Gets or sets a value indicating whether a value was recognized.</summary>
    public bool Succeeded { get; set; }

    /// <summary>Gets or sets the recognized value (meaningful only when <see cref="Succeeded"/>).</summary>
    public T? Value { get; set; }
}
