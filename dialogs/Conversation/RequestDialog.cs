using System.Text;
using System.Text.RegularExpressions;
using ClinicBot.Dialogs.Appointments;
using ClinicBot.Dialogs.Cases;
using ClinicBot.Dialogs.FollowUps;
using ClinicBot.Dialogs.Framework;
using ClinicBot.Dialogs.Handoff;
using ClinicBot.Dialogs.Knowledge;
using ClinicBot.Dialogs.Patients;
using ClinicBot.Dialogs.Phrasing;
using Microsoft.Bot.Builder;
using Microsoft.Extensions.Options;

namespace ClinicBot.Dialogs.Conversation;

/// <summary>
/// One patient request: answer it from the knowledge base when confident; otherwise restate it, ask for
/// confirmation, and then find out (a follow-up) or bring in the right team (a handoff). Never guesses.
/// </summary>
public sealed partial class RequestDialog : ComponentDialog
{
    private const string ConfirmRestatement = nameof(RequestDialog) + ".confirm";
    private const string ConfirmPerson = nameof(RequestDialog) + ".person";
    private const string Steps = nameof(RequestDialog) + ".steps";
    private const string TextKey = "text";
    private const string PlanKey = "plan";
    private const string DepartmentKey = "department";
    private const string OfferedPersonKey = "offeredPerson";
    private const string RelatedAnswerKey = "relatedAnswer";

    private readonly IQuestionRecognizer _recognizer;
    private readonly MedicalAdviceDetector _medicalAdvice;
    private readonly DepartmentRouter _router;
    private readonly ConversationStateAccessors _accessors;
    private readonly HandoffOptions _handoff;
    private readonly ConversationOptions _conversation;

    public RequestDialog(
        IQuestionRecognizer recognizer,
        MedicalAdviceDetector medicalAdvice,
        DepartmentRouter router,
        ConversationStateAccessors accessors,
        IOptions<HandoffOptions> handoff,
        IOptions<ConversationOptions> conversation,
        FollowUpDialog followUpDialog,
        HandoffDialog handoffDialog,
        AppointmentDialog appointmentDialog,
        ComplaintDialog complaintDialog)
        : base(nameof(RequestDialog))
    {
        _recognizer = recognizer;
        _medicalAdvice = medicalAdvice;
        _router = router;
        _accessors = accessors;
        _handoff = handoff.Value;
        _conversation = conversation.Value;

        AddDialog(new ConfirmPrompt(ConfirmRestatement));
        AddDialog(new ConfirmPrompt(ConfirmPerson));
        AddDialog(followUpDialog);
        AddDialog(handoffDialog);
        AddDialog(appointmentDialog);
        AddDialog(complaintDialog);
        AddDialog(new WaterfallDialog(Steps, [UnderstandStepAsync, ActOnConfirmationStepAsync, ActOnPersonOfferStepAsync]));
        InitialDialogId = Steps;
    }

    private enum Plan
    {
        FollowUp,
        Handoff,
    }

    private async Task<DialogTurnResult> UnderstandStepAsync(WaterfallStepContext step, CancellationToken cancellationToken)
    {
        var text = (step.GetOptions<UnansweredRequest>()?.Text ?? step.Context.Activity.Text ?? string.Empty).Trim();
        var profile = await _accessors.Profile.GetAsync(step.Context, () => new PatientProfile(), cancellationToken);
        if (text.Length == 0)
        {
            await step.Context.SendActivityAsync(AnswerPhrases.NonTextMessage, cancellationToken: cancellationToken);
            return await step.EndDialogAsync(null, cancellationToken);
        }

        if (Thanks().IsMatch(text))
        {
            await step.Context.SendActivityAsync(AnswerPhrases.YoureWelcome(profile.PreferredName), cancellationToken: cancellationToken);
            return await step.EndDialogAsync(null, cancellationToken);
        }

        if (Hello().IsMatch(text))
        {
            await step.Context.SendActivityAsync(AnswerPhrases.Hello(profile.PreferredName), cancellationToken: cancellationToken);
            return await step.EndDialogAsync(null, cancellationToken);
        }

        step.Values[TextKey] = text;

        // Health questions never go near the FAQ: a therapist answers them.
        if (_medicalAdvice.IsMedicalAdvice(text))
        {
            await step.Context.SendActivityAsync(AnswerPhrases.MedicalQuestion, cancellationToken: cancellationToken);
            return await RestateAsync(step, text, Plan.FollowUp, _handoff.Find("clinical"), cancellationToken);
        }

        // The patient's own appointments: identity first, then the facts from the schedule.
        if (AppointmentRequest.IsAbout(text))
        {
            return await step.BeginDialogAsync(nameof(AppointmentDialog), new AppointmentDialogOptions(0), cancellationToken);
        }

        // A bad experience is heard, confirmed and turned into a case, before any routing by topic.
        if (ComplaintRequest.IsComplaint(text))
        {
            return await step.BeginDialogAsync(nameof(ComplaintDialog), new ComplaintDialogOptions(text), cancellationToken);
        }

        var recognition = await _recognizer.RecognizeAsync(text, cancellationToken);
        if (recognition.Accepted is { } related && PersonalSituation.IsDescribed(text))
        {
            // The FAQ speaks to the topic, not to this patient's case: confirm, then share it and find out the rest.
            step.Values[RelatedAnswerKey] = FormatAnswer(related);
            return await RestateAsync(step, text, Plan.FollowUp, _handoff.Find(related.Department ?? _handoff.DefaultDepartment), cancellationToken);
        }

        if (recognition.Accepted is { } entry)
        {
            await ResetMisunderstandingsAsync(step.Context, cancellationToken);
            await step.Context.SendActivityAsync(FormatAnswer(entry), cancellationToken: cancellationToken);
            return await step.EndDialogAsync(null, cancellationToken);
        }

        var department = _router.Route(text);
        return department is { LiveChat: true }
            ? await RestateAsync(step, text, Plan.Handoff, department, cancellationToken)
            : await RestateAsync(step, text, Plan.FollowUp, department ?? _handoff.Find(_handoff.DefaultDepartment), cancellationToken);
    }

    private async Task<DialogTurnResult> ActOnConfirmationStepAsync(WaterfallStepContext step, CancellationToken cancellationToken)
    {
        // Reached after a child dialog (appointments) finished too; only a restatement needs an answer here.
        if (!step.Values.ContainsKey(PlanKey))
        {
            return await step.EndDialogAsync(step.Result, cancellationToken);
        }

        var text = step.Values.GetValue<string>(TextKey)!;
        var department = step.Values.GetValue<string>(DepartmentKey)!;
        if (step.Result is true)
        {
            await ResetMisunderstandingsAsync(step.Context, cancellationToken);
            if (step.Values.GetValue<string>(RelatedAnswerKey) is { } generalAnswer)
            {
                await step.Context.SendActivityAsync(AnswerPhrases.GeneralAnswerFirst(generalAnswer), cancellationToken: cancellationToken);
            }

            return step.Values.GetValue<string>(PlanKey) == nameof(Plan.Handoff)
                ? await step.BeginDialogAsync(nameof(HandoffDialog), new HandoffDialogOptions(department, HandoffReason.DepartmentRequest, text), cancellationToken)
                : await step.BeginDialogAsync(nameof(FollowUpDialog), new FollowUpDialogOptions(text, text, department), cancellationToken);
        }

        var conversation = await _accessors.Conversation.GetAsync(step.Context, () => new ConversationData(), cancellationToken);
        conversation.Misunderstandings++;
        if (conversation.Misunderstandings >= _conversation.MisunderstandingsBeforeOfferingPerson)
        {
            step.Values[OfferedPersonKey] = true;
            return await step.PromptAsync(ConfirmPerson, new PromptOptions
            {
                Prompt = MessageFactory.Text(AnswerPhrases.OfferPersonAfterMisunderstandings),
                RetryPrompt = MessageFactory.Text(AnswerPhrases.OfferPersonRetry),
                MaxAttempts = 2,
            }, cancellationToken);
        }

        await step.Context.SendActivityAsync(AnswerPhrases.AskToRephrase, cancellationToken: cancellationToken);
        return await step.EndDialogAsync(null, cancellationToken);
    }

    private async Task<DialogTurnResult> ActOnPersonOfferStepAsync(WaterfallStepContext step, CancellationToken cancellationToken)
    {
        // Reached after a follow-up or handoff finished too; only a person offer needs an answer here.
        if (!step.Values.ContainsKey(OfferedPersonKey))
        {
            return await step.EndDialogAsync(step.Result, cancellationToken);
        }

        await ResetMisunderstandingsAsync(step.Context, cancellationToken);
        if (step.Result is true)
        {
            var text = step.Values.GetValue<string>(TextKey);
            return await step.BeginDialogAsync(nameof(HandoffDialog), new HandoffDialogOptions(_handoff.DefaultDepartment, HandoffReason.RepeatedMisunderstanding, text), cancellationToken);
        }

        await step.Context.SendActivityAsync(AnswerPhrases.TryAgainWithoutPerson, cancellationToken: cancellationToken);
        return await step.EndDialogAsync(null, cancellationToken);
    }

    private static async Task<DialogTurnResult> RestateAsync(WaterfallStepContext step, string text, Plan plan, Department department, CancellationToken cancellationToken)
    {
        step.Values[PlanKey] = plan.ToString();
        step.Values[DepartmentKey] = department.Key;
        var restatement = plan == Plan.Handoff ? AnswerPhrases.RestateForTeam(text, department.TeamName) : AnswerPhrases.Restate(text);
        return await step.PromptAsync(ConfirmRestatement, new PromptOptions
        {
            Prompt = MessageFactory.Text(restatement),
            RetryPrompt = MessageFactory.Text(AnswerPhrases.RestateRetry),
            MaxAttempts = 2,
        }, cancellationToken);
    }

    private async Task ResetMisunderstandingsAsync(ITurnContext turnContext, CancellationToken cancellationToken)
    {
        var conversation = await _accessors.Conversation.GetAsync(turnContext, () => new ConversationData(), cancellationToken);
        conversation.Misunderstandings = 0;
    }

    /// <summary>The knowledge base's answer, quoted as written, with its links.</summary>
    private static string FormatAnswer(KnowledgeEntry entry)
    {
        if (entry.Links.Count == 0)
        {
            return entry.Answer;
        }

        var text = new StringBuilder(entry.Answer);
        foreach (var link in entry.Links)
        {
            text.Append("\n\n").Append(link.Title).Append(": ").Append(link.Url);
        }

        return text.ToString();
    }

    [GeneratedRegex(@"^(thanks|thank you|thank u|thx|ty|tysm|many thanks|thanks a lot|thank you so much|great,? thanks|perfect,? thanks|ok(ay)?,? thanks|cheers)\b[\s!.,]*(so much|a lot|again)?[\s!.:)]*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Thanks();

    [GeneratedRegex(@"^(hi|hello|hey|hiya|good (morning|afternoon|evening))( there)?[\s!.,]*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Hello();
}
