using ClinicBot.Dialogs.Framework;
using ClinicBot.Dialogs.Patients;
using ClinicBot.Dialogs.Phrasing;
using Microsoft.Bot.Builder;

namespace ClinicBot.Dialogs.Conversation;

/// <summary>
/// Asks a visitor for a first name, once. A visitor who declines is never asked again; a visitor who
/// answers with a question gets the question answered instead.
/// </summary>
public sealed class AskNameDialog : ComponentDialog
{
    private const string NamePrompt = nameof(AskNameDialog) + ".name";
    private readonly ConversationStateAccessors _accessors;

    public AskNameDialog(ConversationStateAccessors accessors)
        : base(nameof(AskNameDialog))
    {
        _accessors = accessors;
        AddDialog(new TextPrompt(NamePrompt));
        AddDialog(new WaterfallDialog(nameof(AskNameDialog) + ".steps", [AskStepAsync, RememberStepAsync]));
        InitialDialogId = nameof(AskNameDialog) + ".steps";
    }

    private static Task<DialogTurnResult> AskStepAsync(WaterfallStepContext step, CancellationToken cancellationToken) =>
        step.PromptAsync(NamePrompt, new PromptOptions { Prompt = MessageFactory.Text(GreetingPhrases.AskName) }, cancellationToken);

    private async Task<DialogTurnResult> RememberStepAsync(WaterfallStepContext step, CancellationToken cancellationToken)
    {
        var answer = step.Result as string;
        var profile = await _accessors.Profile.GetAsync(step.Context, () => new PatientProfile(), cancellationToken);

        if (PatientNames.IsDecline(answer))
        {
            profile.DeclinedName = true;
            await step.Context.SendActivityAsync(GreetingPhrases.NoNameNeeded, cancellationToken: cancellationToken);
            return await step.EndDialogAsync(null, cancellationToken);
        }

        if (PatientNames.FromAnswer(answer) is { } name)
        {
            profile.PreferredName = name;
            profile.NameSource = NameSource.Patient;
            await step.Context.SendActivityAsync(GreetingPhrases.NiceToMeetYou(name), cancellationToken: cancellationToken);
            return await step.EndDialogAsync(null, cancellationToken);
        }

        // Not a name: the visitor went straight to their question. Hand it to the main flow.
        return await step.EndDialogAsync(new UnansweredRequest(answer ?? string.Empty), cancellationToken);
    }
}

/// <summary>A patient message a child dialog received but did not handle; the main flow takes it.</summary>
public sealed record UnansweredRequest(string Text);
