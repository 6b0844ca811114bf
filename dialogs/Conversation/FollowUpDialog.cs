using ClinicBot.Dialogs.Clinic;
using ClinicBot.Dialogs.FollowUps;
using ClinicBot.Dialogs.Framework;
using ClinicBot.Dialogs.Handoff;
using ClinicBot.Dialogs.Patients;
using ClinicBot.Dialogs.Phrasing;
using Microsoft.Bot.Builder;
using Microsoft.Extensions.Options;

namespace ClinicBot.Dialogs.Conversation;

/// <summary>
/// "Let me try to find out for you": queues the confirmed question for staff (durably, before telling the
/// patient), says who will answer and by when, and offers to take a phone number or email.
/// </summary>
public sealed class FollowUpDialog : ComponentDialog
{
    private const string ContactPrompt = nameof(FollowUpDialog) + ".contact";
    private const string Steps = nameof(FollowUpDialog) + ".steps";
    private const string FollowUpIdKey = "followUpId";

    private readonly IFollowUpQueue _queue;
    private readonly ClinicCalendar _calendar;
    private readonly ConversationStateAccessors _accessors;
    private readonly HandoffOptions _handoff;

    public FollowUpDialog(IFollowUpQueue queue, ClinicCalendar calendar, ConversationStateAccessors accessors, IOptions<HandoffOptions> handoff)
        : base(nameof(FollowUpDialog))
    {
        _queue = queue;
        _calendar = calendar;
        _accessors = accessors;
        _handoff = handoff.Value;
        AddDialog(new TextPrompt(ContactPrompt, ValidateContactAsync));
        AddDialog(new WaterfallDialog(Steps, [QueueAndTellStepAsync, SaveContactStepAsync]));
        InitialDialogId = Steps;
    }

    private async Task<DialogTurnResult> QueueAndTellStepAsync(WaterfallStepContext step, CancellationToken cancellationToken)
    {
        var options = step.GetOptions<FollowUpDialogOptions>() ?? throw new InvalidOperationException("FollowUpDialog needs FollowUpDialogOptions.");
        var department = _handoff.Find(options.DepartmentKey);
        var profile = await _accessors.Profile.GetAsync(step.Context, () => new PatientProfile(), cancellationToken);
        var activity = step.Context.Activity;
        var askedAt = _calendar.Now;
        var followUp = new FollowUp
        {
            Id = NewId(),
            PatientUserId = activity.From?.Id ?? "unknown",
            PatientName = profile.PreferredName,
            ChannelId = activity.ChannelId,
            ReplyAddress = ReplyAddress.Of(activity),
            Question = options.Question,
            OriginalText = options.OriginalText,
            Department = department.Key,
            AskedAt = askedAt,
            DueBy = _calendar.FollowUpDueBy(askedAt),
        };

        // Durable first: only then may the patient be told it is taken care of.
        await _queue.AddAsync(followUp, cancellationToken);
        step.Values[FollowUpIdKey] = followUp.Id;

        var dueBy = _calendar.Describe(followUp.DueBy);
        if (options.InsteadOfHandoff)
        {
            await step.Context.SendActivityAsync(HandoffPhrases.FollowUpInstead(dueBy), cancellationToken: cancellationToken);
        }
        else
        {
            await step.Context.SendActivityAsync(FollowUpPhrases.LetMeFindOut, cancellationToken: cancellationToken);
            await step.Context.SendActivityAsync(FollowUpPhrases.WhoAndWhen(department.TeamName, dueBy), cancellationToken: cancellationToken);
        }

        return await step.PromptAsync(ContactPrompt, new PromptOptions
        {
            Prompt = QuickReplies.Message(FollowUpPhrases.AskForContact, ["Skip"]),
            RetryPrompt = QuickReplies.Message(FollowUpPhrases.ContactRetry, ["Skip"]),
            MaxAttempts = 3,
        }, cancellationToken);
    }

    private async Task<DialogTurnResult> SaveContactStepAsync(WaterfallStepContext step, CancellationToken cancellationToken)
    {
        var id = step.Values.GetValue<string>(FollowUpIdKey)!;
        if (step.Result is string text && ContactDetails.TryParse(text, out var email, out var phone))
        {
            await _queue.SetContactAsync(id, email, phone, cancellationToken);
            await step.Context.SendActivityAsync(FollowUpPhrases.ContactSaved(string.Join(" or ", new[] { phone, email }.Where(c => c is not null))), cancellationToken: cancellationToken);
        }
        else if (step.Result is string)
        {
            await step.Context.SendActivityAsync(FollowUpPhrases.NoContactNeeded, cancellationToken: cancellationToken);
        }
        else
        {
            await step.Context.SendActivityAsync(FollowUpPhrases.ContactGaveUp, cancellationToken: cancellationToken);
        }

        return await step.EndDialogAsync(id, cancellationToken);
    }

    private static Task<bool> ValidateContactAsync(PromptValidatorContext<string> prompt, CancellationToken cancellationToken)
    {
        var text = prompt.Recognized.Value;
        return Task.FromResult(prompt.Recognized.Succeeded && (IsSkip(text) || ContactDetails.TryParse(text, out _, out _)));
    }

    private static bool IsSkip(string? text) =>
        text?.Trim().TrimEnd('.', '!').ToLowerInvariant() is "skip" or "no" or "no thanks" or "no thank you" or "nope" or "not now" or "i'm fine" or "im fine" or "that's ok" or "it's ok" or "no need" or "rather not";

    private static string NewId() => "FU-" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
}

/// <summary>What to queue: the confirmed question, the patient's words, and the team that will answer.</summary>
public sealed record FollowUpDialogOptions(string Question, string OriginalText, string DepartmentKey, bool InsteadOfHandoff = false);
