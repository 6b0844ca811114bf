using System.Globalization;
using Microsoft.Bot.Builder;

namespace ClinicBot.Dialogs.Framework;

/// <summary>
/// Asks the user to pick one of <see cref="PromptOptions.Choices"/>, offered as suggested actions (quick replies).
/// Recognizes, case- and punctuation-insensitively: a choice's value, one of its synonyms, or its position
/// ("1", "#2", "option 3", "first", "the second one", "last"). Returns a <see cref="FoundChoice"/>.
/// </summary>
public class ChoicePrompt : Prompt<FoundChoice>
{
    private static readonly string[] _ordinalWords = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth"];
    private static readonly string[] _ordinalPrefixes = ["the ", "option ", "number ", "choice "];
    private static readonly string[] _ordinalSuffixes = [" one", " option", " choice", " please"];

    /// <summary>Creates a choice prompt.</summary>
    /// <param name="dialogId">The dialog id.</param>
    /// <param name="validator">Optional validator.</param>
    public ChoicePrompt(string dialogId, PromptValidator<FoundChoice>? validator = null)
        : base(dialogId, validator)
    {
    }

    /// <summary>Recognizes a choice in <paramref name="text"/>; null when nothing (or more than one choice) matches.</summary>
    /// <param name="text">The user's text.</param>
    /// <param name="choices">The choices.</param>
    /// <returns>The found choice, or null.</returns>
    public static FoundChoice? Recognize(string? text, IReadOnlyList<Choice> choices)
    {
        ArgumentNullException.ThrowIfNull(choices);
        var input = TextNormalizer.Normalize(text);
        if (input.Length == 0 || choices.Count == 0)
        {
            return null;
        }

        // 1. Exact value, 2. synonym: only an unambiguous match counts.
        var byValue = FindUnique(choices, c => TextNormalizer.Normalize(c.Value) == input);
        if (byValue is not null)
        {
            return byValue;
        }

        var bySynonym = FindUnique(choices, c => c.Synonyms.Any(s => TextNormalizer.Normalize(s) == input));
        if (bySynonym is not null)
        {
            return bySynonym;
        }

        // 3. Position (but not a negative number such as "-1", which normalization would turn into "1").
        var position = text!.TrimStart().StartsWith('-') ? null : ParsePosition(input, choices.Count);
        return position is int index
            ? new FoundChoice { Value = choices[index].Value, Index = index, Synonym = text.Trim() }
            : null;
    }

    /// <inheritdoc/>
    protected override IReadOnlyList<string> GetSuggestedActions(PromptOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Choices?.Select(c => c.Value).ToList() ?? [];
    }

    /// <inheritdoc/>
    protected override Task<PromptRecognizerResult<FoundChoice>> OnRecognizeAsync(ITurnContext turnContext, IDictionary<string, object?> state, PromptOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        ArgumentNullException.ThrowIfNull(options);
        var found = Recognize(turnContext.Activity.Text, options.Choices ?? []);
        return Task.FromResult(found is null
            ? new PromptRecognizerResult<FoundChoice>()
            : new PromptRecognizerResult<FoundChoice> { Succeeded = true, Value = found });
    }

    private static FoundChoice? FindUnique(IReadOnlyList<Choice> choices, Func<Choice, bool> predicate)
    {
        FoundChoice? found = null;
        for (var i = 0; i < choices.Count; i++)
        {
            if (!predicate(choices[i]))
            {
                continue;
            }

            if (found is not null)
            {
                return null;
            }

            found = new FoundChoice { Value = choices[i].Value, Index = i, Synonym = choices[i].Value };
        }

        return found;
    }

    private static int? ParsePosition(string input, int count)
    {
        var trimmed = input;
        foreach (var prefix in _ordinalPrefixes)
        {
            if (trimmed.StartsWith(prefix, StringComparison.Ordinal))
            {
                trimmed = trimmed[prefix.Length..];
            }
        }

        foreach (var suffix in _ordinalSuffixes)
        {
            if (trimmed.EndsWith(suffix, StringComparison.Ordinal))
            {
                trimmed = trimmed[..^suffix.Length];
            }
        }

        if (int.TryParse(trimmed, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            return number >= 1 && number <= count ? number - 1 : null;
        }

        var suffixStripped = trimmed.EndsWith("st", StringComparison.Ordinal) || trimmed.EndsWith("nd", StringComparison.Ordinal)
            || trimmed.EndsWith("rd", StringComparison.Ordinal) || trimmed.EndsWith("th", StringComparison.Ordinal)
            ? trimmed[..^2]
            : null;
        if (suffixStripped is not null && int.TryParse(suffixStripped, NumberStyles.None, CultureInfo.InvariantCulture, out number))
        {
            return number >= 1 && number <= count ? number - 1 : null;
        }

        if (trimmed == "last")
        {
            return count - 1;
        }

        var ordinal = Array.IndexOf(_ordinalWords, trimmed);
        return ordinal >= 0 && ordinal < count ? ordinal : null;
    }
}
