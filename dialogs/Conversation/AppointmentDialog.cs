using System.Globalization;
using ClinicBot.Dialogs.Appointments;
using ClinicBot.Dialogs.Clinic;
using ClinicBot.Dialogs.Framework;
using ClinicBot.Dialogs.Handoff;
using ClinicBot.Dialogs.Patients;
using ClinicBot.Dialogs.Phrasing;
using Microsoft.Bot.Builder;

namespace ClinicBot.Dialogs.Conversation;

/// <summary>
/// Scenario 03: confirms who the patient is (a portal-verified identity, or full name plus date of birth)
/// before revealing anything, states the next appointment factually, and offers what is possible: today's
/// openings or the scheduling team. The bot never books or promises a slot itself.
/// </summary>
public sealed class AppointmentDialog : ComponentDialog
{
    private const string NamePrompt = nameof(AppointmentDialog) + ".name";
    private const string BirthPrompt = nameof(AppointmentDialog) + ".dob";
    private const string NextPrompt = nameof(AppointmentDialog) + ".next";
    private const string ConnectPrompt = nameof(AppointmentDialog) + ".connect";
    private const string Steps = nameof(AppointmentDialog) + ".steps";
    private const int MaxVerificationAttempts = 2;

    private readonly IAppointments _appointments;
    private readonly ClinicCalendar _calendar;
    private readonly ConversationStateAccessors _accessors;

    public AppointmentDialog(IAppointments appointments, ClinicCalendar calendar, ConversationStateAccessors accessors, HandoffDialog handoffDialog)
        : base(nameof(AppointmentDialog))
    {
        _appointments = appointments;
        _calendar = calendar;
        _accessors = accessors;
        AddDialog(new TextPrompt(NamePrompt));
        AddDialog(new TextPrompt(BirthPrompt, ValidateDateOfBirthAsync));
        AddDialog(new TextPrompt(NextPrompt));
        AddDialog(new ConfirmPrompt(ConnectPrompt));
        AddDialog(handoffDialog);
        AddDialog(new WaterfallDialog(Steps,
        [
            AskNameUnlessVerifiedStepAsync,
            AskDateOfBirthStepAsync,
            VerifyAndTellStepAsync,
            ActOnNextStepAsync,
            ConnectToSchedulingStepAsync,
        ]));
        InitialDialogId = Steps;
    }

    private async Task<DialogTurnResult> AskNameUnlessVerifiedStepAsync(WaterfallStepContext step, CancellationToken cancellationToken)
    {
        var attempt = step.GetOptions<AppointmentDialogOptions>()?.Attempt ?? 0;
        if (attempt == 0)
        {
            await step.Context.SendActivityAsync(AppointmentPhrases.WillCheck, cancellationToken: cancellationToken);
        }

        if (await VerifiedPatientIdAsync(step.Context, cancellationToken) is not null)
        {
            return await step.NextAsync(null, cancellationToken);
        }

        var prompt = attempt == 0 ? AppointmentPhrases.AskFullName : AppointmentPhrases.NoMatchTryAgain;
        return await step.PromptAsync(NamePrompt, new PromptOptions { Prompt = MessageFactory.Text(prompt) }, cancellationToken);
    }

    private async Task<DialogTurnResult> AskDateOfBirthStepAsync(WaterfallStepContext step, CancellationToken cancellationToken)
    {
        if (await VerifiedPatientIdAsync(step.Context, cancellationToken) is not null)
        {
            return await step.NextAsync(null, cancellationToken);
        }

        step.Values["fullName"] = step.Result as string;
        return await step.PromptAsync(BirthPrompt, new PromptOptions
        {
            Prompt = MessageFactory.Text(AppointmentPhrases.AskDateOfBirth),
            RetryPrompt = MessageFactory.Text(AppointmentPhrases.DateOfBirthRetry),
            MaxAttempts = 3,
        }, cancellationToken);
    }

    private async Task<DialogTurnResult> VerifyAndTellStepAsync(WaterfallStepContext step, CancellationToken cancellationToken)
    {
        var patientId = await VerifiedPatientIdAsync(step.Context, cancellationToken);
        if (patientId is null)
        {
            var fullName = step.Values.GetValue<string>("fullName");
            var today = DateOnly.FromDateTime(_calendar.ToLocal(_calendar.Now).DateTime);
            var match = fullName is not null && PatientDetails.TryParseDateOfBirth(step.Result as string, today, out var dateOfBirth)
                ? await _appointments.FindPatientAsync(fullName, dateOfBirth, cancellationToken)
                : null;
            if (match is null)
            {
                var attempt = (step.GetOptions<AppointmentDialogOptions>()?.Attempt ?? 0) + 1;
                if (attempt < MaxVerificationAttempts)
                {
                    return await step.ReplaceDialogAsync(nameof(AppointmentDialog), new AppointmentDialogOptions(attempt), cancellationToken);
                }

                await step.Context.SendActivityAsync(AppointmentPhrases.CouldNotVerify, cancellationToken: cancellationToken);
                return await step.ReplaceDialogAsync(nameof(HandoffDialog), new HandoffDialogOptions("front-desk", HandoffReason.DepartmentRequest, "Could not confirm identity to check an appointment"), cancellationToken);
            }

            var conversation = await _accessors.Conversation.GetAsync(step.Context, () => new ConversationData(), cancellationToken);
            conversation.VerifiedPatientId = match.Id;
            patientId = match.Id;
        }

        var appointment = await _appointments.NextAppointmentAsync(patientId, _calendar.Now.AddHours(-2), cancellationToken);
        if (appointment is null)
        {
            await step.Context.SendActivityAsync(AppointmentPhrases.NoUpcomingAppointment, cancellationToken: cancellationToken);
        }
        else
        {
            var when = DescribeWithWeekday(appointment.Start);
            await RememberAsync(step.Context, "appointment", $"{when} with {appointment.Therapist} at {appointment.Location}", cancellationToken);
            await step.Context.SendActivityAsync(AppointmentPhrases.NextAppointment(when, appointment.Therapist, appointment.Location), cancellationToken: cancellationToken);
        }

        return await step.PromptAsync(NextPrompt, new PromptOptions
        {
            Prompt = QuickReplies.Message(AppointmentPhrases.WhatNext, AppointmentPhrases.WhatNextChoices),
        }, cancellationToken);
    }

    private async Task<DialogTurnResult> ActOnNextStepAsync(WaterfallStepContext step, CancellationToken cancellationToken)
    {
        switch (AppointmentRequest.NextStep(step.Result as string))
        {
            case AppointmentNextStep.Done:
                await step.Context.SendActivityAsync(AppointmentPhrases.Anytime, cancellationToken: cancellationToken);
                return await step.EndDialogAsync(null, cancellationToken);

            case AppointmentNextStep.TalkToScheduling:
                return await step.ReplaceDialogAsync(nameof(HandoffDialog), new HandoffDialogOptions("scheduling", HandoffReason.DepartmentRequest, step.Result as string), cancellationToken);
        }

        // Wanting to be seen sooner, or anything unclear: show what is possible today.
        var now = _calendar.Now;
        var endOfDay = _calendar.ToLocal(now).Date.AddDays(1);
        var slots = await _appointments.OpenSlotsAsync(now, new DateTimeOffset(endOfDay, _calendar.ToLocal(now).Offset), cancellationToken);
        string offer;
        if (slots.Count == 0)
        {
            offer = AppointmentPhrases.NoOpeningsToday;
            await RememberAsync(step.Context, "offered", "no openings left today; offered the scheduling team", cancellationToken);
        }
        else
        {
            var described = string.Join(" and ", slots.Take(3).Select(s => $"{Time(s.Start)} with {s.Therapist} at {s.Location}"));
            offer = AppointmentPhrases.OpeningsToday(described);
            await RememberAsync(step.Context, "offered", "today's openings: " + described, cancellationToken);
        }

        return await step.PromptAsync(ConnectPrompt, new PromptOptions
        {
            Prompt = MessageFactory.Text(offer),
            RetryPrompt = MessageFactory.Text(AnswerPhrases.OfferPersonRetry),
            MaxAttempts = 2,
        }, cancellationToken);
    }

    private async Task<DialogTurnResult> ConnectToSchedulingStepAsync(WaterfallStepContext step, CancellationToken cancellationToken)
    {
        if (step.Result is true)
        {
            return await step.ReplaceDialogAsync(nameof(HandoffDialog), new HandoffDialogOptions("scheduling", HandoffReason.DepartmentRequest, "Would like to be seen today instead of the booked appointment"), cancellationToken);
        }

        await step.Context.SendActivityAsync(AppointmentPhrases.Anytime, cancellationToken: cancellationToken);
        return await step.EndDialogAsync(null, cancellationToken);
    }

    private async Task<string?> VerifiedPatientIdAsync(ITurnContext turnContext, CancellationToken cancellationToken)
    {
        var profile = await _accessors.Profile.GetAsync(turnContext, () => new PatientProfile(), cancellationToken);
        var conversation = await _accessors.Conversation.GetAsync(turnContext, () => new ConversationData(), cancellationToken);
        return profile.VerifiedPatientId ?? conversation.VerifiedPatientId;
    }

    private async Task RememberAsync(ITurnContext turnContext, string key, string value, CancellationToken cancellationToken)
    {
        var conversation = await _accessors.Conversation.GetAsync(turnContext, () => new ConversationData(), cancellationToken);
        conversation.Facts[key] = value;
    }

    /// <summary>"tomorrow, Tuesday, at 10:00 AM" or "Friday, December 4 at 5:30 PM".</summary>
    private string DescribeWithWeekday(DateTimeOffset start)
    {
        var local = _calendar.ToLocal(start);
        var today = DateOnly.FromDateTime(_calendar.ToLocal(_calendar.Now).DateTime);
        var date = DateOnly.FromDateTime(local.DateTime);
        var weekday = local.ToString("dddd", CultureInfo.GetCultureInfo("en-US"));
        return date == today ? $"today, {weekday}, at {Time(start)}"
            : date == today.AddDays(1) ? $"tomorrow, {weekday}, at {Time(start)}"
            : $"{local.ToString("dddd, MMMM d", CultureInfo.GetCultureInfo("en-US"))} at {Time(start)}";
    }

    private string Time(DateTimeOffset moment) => _calendar.ToLocal(moment).ToString("h:mm tt", CultureInfo.GetCultureInfo("en-US"));

    private Task<bool> ValidateDateOfBirthAsync(PromptValidatorContext<string> prompt, CancellationToken cancellationToken)
    {
        var today = DateOnly.FromDateTime(_calendar.ToLocal(_calendar.Now).DateTime);
        return Task.FromResult(prompt.Recognized.Succeeded && PatientDetails.TryParseDateOfBirth(prompt.Recognized.Value, today, out _));
    }
}

/// <summary>Which verification attempt this is (0 on the first).</summary>
public sealed record AppointmentDialogOptions(int Attempt);
