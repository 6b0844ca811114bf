namespace ClinicBot.Dialogs.Framework;

/// <summary>An option offered by a <see cref="ChoicePrompt"/>.</summary>
public sealed class Choice
{
    /// <summary>Creates an empty choice (for serializers).</summary>
    public Choice()
    {
    }

    /// <summary>Creates a choice.</summary>
    /// <param name="value">The value shown to the user and returned when chosen.</param>
    /// <param name="synonyms">Other words the user may type to pick it.</param>
    public Choice(string value, params string[] synonyms)
    {
        Value = value;
        Synonyms = [.. synonyms];
    }

    /// <summary>Gets or sets the value shown to the user (as a quick reply) and returned when chosen.</summary>
    public string Value { get; set; } = string.Empty;

    /// <summary>Gets or sets other words the user may type to pick this choice (matched case- and punctuation-insensitively).</summary>
    public List<string> Synonyms { get; set; } = [];
}
