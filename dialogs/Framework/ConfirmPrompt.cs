using Microsoft.Bot.Builder;

namespace ClinicBot.Dialogs.Framework;

/// <summary>
/// Asks a yes/no question; returns a <see cref="bool"/>. Offers <see cref="YesLabel"/>/<see cref="NoLabel"/> as suggested actions
/// (quick replies) and recognizes everyday English answers case- and punctuation-insensitively ("yes", "yeah", "yep", "sure",
/// "correct", "that's right", "ok", "no", "nope", "nah", "not really", "wrong", ...), including combinations of them such as
/// "yes, that's right". Mixed or qualified answers ("yes but not Monday", "not sure") are not recognized and get the retry prompt.
/// </summary>
public class ConfirmPrompt : Prompt<bool>
{
    private static readonly HashSet<string> _yesPhrases = new(StringComparer.Ordinal)
    {
        "yes", "y", "yeah", "yea", "yah", "ya", "yep", "yup", "yes please", "sure", "sure thing", "of course", "course",
        "correct", "thats correct", "that is correct", "thats right", "that is right", "right", "exactly", "ok", "okay",
        "k", "kk", "alright", "all right", "affirmative", "absolutely", "definitely", "certainly", "indeed", "true",
        "it is", "i do", "i am", "i will", "confirm", "confirmed", "go ahead", "sounds good", "fine", "please do",
    };

    private static readonly HashSet<string> _noPhrases = new(StringComparer.Ordinal)
    {
        "no", "n", "nope", "nah", "na", "no way", "not really", "not at all", "wrong", "thats wrong", "that is wrong",
        "incorrect", "thats incorrect", "that is incorrect", "not correct", "thats not correct", "that is not correct",
        "not right", "thats not right", "that is not right", "negative", "false", "never", "it isnt", "it is not",
        "i dont", "i do not", "i am not", "im not", "dont", "do not", "no thanks", "no thank you", "not now",
    };

    // Allowed alongside a yes/no phrase but never enough on their own.
    private static readonly HashSet<string> _fillers = new(StringComparer.Ordinal)
    {
        "please", "thanks", "thank you", "thx", "ty", "oh", "um", "uh", "well",
    };

    /// <summary>Creates a confirm prompt.</summary>
    /// <param name="dialogId">The dialog id.</param>
    /// <param name="validator">Optional validator.</param>
    public ConfirmPrompt(string dialogId, PromptValidator<bool>? validator = null)
        : base(dialogId, validator)
    {
    }

    /// <summary>Gets or sets the label of the "yes" quick reply (also recognized as yes). Default "Yes".</summary>
    public string YesLabel { get; set; } = "Yes";

    /// <summary>Gets or sets the label of the "no" quick reply (also recognized as no). Default "No".</summary>
    public string NoLabel { get; set; } = "No";

    /// <summary>Gets or sets a value indicating whether Yes/No are offered as suggested actions. Default true.</summary>
    public bool IncludeSuggestedActions { get; set; } = true;

    /// <summary>Recognizes yes (true) or no (false) in <paramref name="text"/>; null when neither (or both).</summary>
    /// <param name="text">The user's text.</param>
    /// <returns>True, false or null.</returns>
    public bool? Recognize(string? text)
    {
        var input = text?.Replace("\U0001F44D", " yes ", StringComparison.Ordinal).Replace("\U0001F44E", " no ", StringComparison.Ordinal);
        var normalized = TextNormalizer.Normalize(input);
        if (normalized.Length == 0)
        {
            return null;
        }

        var yesLabel = TextNormalizer.Normalize(YesLabel);
        var noLabel = TextNormalizer.Normalize(NoLabel);
        if (normalized == yesLabel)
        {
            return true;
        }

        if (normalized == noLabel)
        {
            return false;
        }

        var words = normalized.Split(' ');
        var isYes = IsCoveredBy(words, _yesPhrases);
        var isNo = IsCoveredBy(words, _noPhrases);
        return isYes == isNo ? null : isYes;
    }

    /// <inheritdoc/>
    protected override IReadOnlyList<string> GetSuggestedActions(PromptOptions options)
        => IncludeSuggestedActions ? [YesLabel, NoLabel] : [];

    /// <inheritdoc/>
    protected override Task<PromptRecognizerResult<bool>> OnRecognizeAsync(ITurnContext turnContext, IDictionary<string, object?> state, PromptOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        var recognized = Recognize(turnContext.Activity.Text);
        return Task.FromResult(recognized is bool value
            ? new PromptRecognizerResult<bool> { Succeeded = true, Value = value }
            : new PromptRecognizerResult<bool>());
    }

    /// <summary>True when the words split entirely into phrases from <paramref name="phrases"/> and fillers, with at least one phrase.</summary>
    private static bool IsCoveredBy(string[] words, HashSet<string> phrases)
    {
        // reachable[i]: words[0..i) can be covered; hasPhrase[i]: some such cover uses a real phrase.
        var reachable = new bool[words.Length + 1];
        var hasPhrase = new bool[words.Length + 1];
        reachable[0] = true;
        for (var start = 0; start < words.Length; start++)
        {
            if (!reachable[start])
            {
                continue;
            }

            for (var end = start + 1; end <= words.Length && end - start <= 4; end++)
            {
                var candidate = string.Join(' ', words[start..end]);
                var isPhrase = phrases.Contains(candidate);
                if (isPhrase || _fillers.Contains(candidate))
                {
                    reachable[end] = true;
                    hasPhrase[end] |= hasPhrase[start] || isPhrase;
                }
            }
        }

        return reachable[words.Length] && hasPhrase[words.Length];
    }
}
