namespace ClinicBot.Dialogs.Framework;

/// <summary>The choice a user picked in a <see cref="ChoicePrompt"/>.</summary>
public sealed class FoundChoice
{
    /// <summary>Gets or sets the chosen <see cref="Choice.Value"/>.</summary>
    public string Value { get; set; } = string.Empty;

    /// <summary>Gets or sets the zero-based index of the choice in <see cref="PromptOptions.Choices"/>.</summary>
    public int Index { get; set; }

    /// <summary>Gets or sets the value, synonym or ordinal the user's text matched.</summary>
    public string Synonym { get; set; } = string.Empty;
}
