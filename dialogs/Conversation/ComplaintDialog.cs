using ClinicBot.Dialogs.Cases;
using ClinicBot.Dialogs.Clinic;
using ClinicBot.Dialogs.Framework;
using ClinicBot.Dialogs.Handoff;
using ClinicBot.Dialogs.Patients;
using ClinicBot.Dialogs.Phrasing;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Connector;
using Microsoft.Extensions.Options;

namespace ClinicBot.Dialogs.Conversation;

/// <summary>
/// Scenario 06: apologise, reflect back what the patient said and confirm it, gather what staff need (date,
/// clinic, staff member), open a case with a reference and severity, and say who follows up and by when.
/// Remedies are never offered here: only a staff member can approve one, from the console.
/// </summary>
public sealed class ComplaintDialog : ComponentDialog
{
    private const string ConfirmPrompt = nameof(ComplaintDialog) + ".confirm";
    private const string TextPrompt = nameof(ComplaintDialog) + ".text";
    private const string Steps = nameof(ComplaintDialog) + ".steps";
    private const string ComplaintKey = "complaint";
    private const string ReflectionKey = "reflection";

    private readonly ICaseStore _cases;
    private readonly ICommentTriage _triage;
    private readonly ClinicCalendar _calendar;
    private readonly ConversationStateAccessors _accessors;
    private readonly HandoffOptions _handoff;

    public ComplaintDialog(ICaseStore cases, ICommentTriage triage, ClinicCalendar calendar, ConversationStateAccessors accessors, IOptions<HandoffOptions> handoff)
        : base(nameof(ComplaintDialog))
    {
        _cases = cases;
        _triage = triage;
        _calendar = calendar;
        _accessors = accessors;
        _handoff = handoff.Value;
        AddDialog(new ConfirmPrompt(ConfirmPrompt));
        AddDialog(new TextPrompt(TextPrompt));
        AddDialog(new WaterfallDialog(Steps, [ReflectStepAsync, DetailsOrOwnWordsStepAsync, DetailsAfterOwnWordsStepAsync, OpenCaseStepAsync]));
        InitialDialogId = Steps;
    }

    private async Task<DialogTurnResult> ReflectStepAsync(WaterfallStepContext step, CancellationToken cancellationToken)
    {
        var complaint = step.GetOptions<ComplaintDialogOptions>()?.Text ?? step.Context.Activity.Text ?? string.Empty;
        var reflection = Reflection.ToSecondPerson(complaint);
        step.Values[ComplaintKey] = complaint;
        step.Values[ReflectionKey] = reflection;
        var profile = await _accessors.Profile.GetAsync(step.Context, () => new PatientProfile(), cancellationToken);
        return await step.PromptAsync(ConfirmPrompt, new PromptOptions
        {
            Prompt = MessageFactory.Text(ComplaintPhrases.Reflect(profile.PreferredName, reflection)),
            RetryPrompt = MessageFactory.Text(ComplaintPhrases.ReflectRetry),
            MaxAttempts = 2,
        }, cancellationToken);
    }

    private static async Task<DialogTurnResult> DetailsOrOwnWordsStepAsync(WaterfallStepContext step, CancellationToken cancellationToken)
    {
        if (step.Result is true)
        {
            step.Values["confirmed"] = true;
            return await step.PromptAsync(TextPrompt, new PromptOptions { Prompt = MessageFactory.Text(ComplaintPhrases.AskDetails) }, cancellationToken);
        }

        return await step.PromptAsync(TextPrompt, new PromptOptions { Prompt = MessageFactory.Text(ComplaintPhrases.AskInOwnWords) }, cancellationToken);
    }

    private static async Task<DialogTurnResult> DetailsAfterOwnWordsStepAsync(WaterfallStepContext step, CancellationToken cancellationToken)
    {
        if (step.Values.ContainsKey("confirmed"))
        {
            return await step.NextAsync(step.Result, cancellationToken);
        }

        // The patient corrected us: their own words become the complaint, then the details.
        var ownWords = step.Result as string ?? string.Empty;
        step.Values[ComplaintKey] = ownWords;
        step.Values[ReflectionKey] = Reflection.ToSecondPerson(ownWords);
        return await step.PromptAsync(TextPrompt, new PromptOptions { Prompt = MessageFactory.Text(ComplaintPhrases.AskDetails) }, cancellationToken);
    }

    private async Task<DialogTurnResult> OpenCaseStepAsync(WaterfallStepContext step, CancellationToken cancellationToken)
    {
        var complaint = step.Values.GetValue<string>(ComplaintKey) ?? string.Empty;
        var details = step.Result as string ?? string.Empty;
        var profile = await _accessors.Profile.GetAsync(step.Context, () => new PatientProfile(), cancellationToken);
        var activity = step.Context.Activity;
        var assessment = _triage.Assess(complaint + " " + details);
        var created = await _cases.CreateAsync(new ComplaintCase
        {
            Source = activity.ChannelId is Channels.Facebook or "messenger" ? CaseSource.Messenger : CaseSource.Chat,
            PatientName = profile.PreferredName,
            PatientUserId = activity.From?.Id,
            Summary = step.Values.GetValue<string>(ReflectionKey) ?? complaint,
            OriginalText = complaint + (details.Length > 0 ? "\nDetails: " + details : string.Empty),
            Severity = assessment.Severity,
            CreatedAt = _calendar.Now,
            ReplyAddress = ReplyAddress.Of(activity),
        }, cancellationToken);

        // Durable first; then the patient hears who follows up and by when.
        var conversation = await _accessors.Conversation.GetAsync(step.Context, () => new ConversationData(), cancellationToken);
        conversation.Facts["complaintCase"] = created.Reference;
        var who = "our " + _handoff.Find("supervisor").Role;
        await step.Context.SendActivityAsync(ComplaintPhrases.CaseOpened(created.Reference, who, _calendar.Describe(_calendar.FollowUpDueBy(_calendar.Now))), cancellationToken: cancellationToken);
        return await step.EndDialogAsync(created.Reference, cancellationToken);
    }
}

public sealed record ComplaintDialogOptions(string Text);
