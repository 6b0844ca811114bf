using Microsoft.Bot.Builder;

namespace ClinicBot.Dialogs.Framework;

/// <summary>Asks for free text. Any non-blank message is recognized; the value is the trimmed text.</summary>
public class TextPrompt : Prompt<string>
{
    /// <summary>Creates a text prompt.</summary>
    /// <param name="dialogId">The dialog id.</param>
    /// <param name="validator">Optional validator.</param>
    public TextPrompt(string dialogId, PromptValidator<string>? validator = null)
        : base(dialogId, validator)
    {
    }

    /// <inheritdoc/>
    protected override Task<PromptRecognizerResult<string>> OnRecognizeAsync(ITurnContext turnContext, IDictionary<string, object?> state, PromptOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        var text = turnContext.Activity.Text?.Trim();
        return Task.FromResult(string.IsNullOrEmpty(text)
            ? new PromptRecognizerResult<string>()
            : new PromptRecognizerResult<string> { Succeeded = true, Value = text });
    }
}
