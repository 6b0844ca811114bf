namespace ClinicBot.Dialogs.Phrasing;

/// <summary>What the bot says about appointments. Facts are stated kindly and plainly, with no blame either way.</summary>
public static class AppointmentPhrases
{
    public const string WillCheck = "Let me check your appointment for you.";

    public const string AskFullName =
        "To protect your privacy, I need to confirm who you are before I look at any appointment details. What's your full name, as it appears on your file?";

    public const string AskDateOfBirth = "Thank you. And your date of birth? (For example 03/14/1979.)";

    public const string DateOfBirthRetry = "Sorry, I couldn't read that as a date. Could you type your date of birth like 03/14/1979?";

    public const string NoMatchTryAgain =
        "I couldn't match those details to a patient file. Let's try once more: what's your full name, exactly as you gave it when you registered?";

    public const string CouldNotVerify =
        "I wasn't able to confirm your details, so I can't share appointment information here. Our front desk team can check it with you.";

    public static string NextAppointment(string when, string therapist, string location) =>
        $"I see your appointment is scheduled for {when} with {therapist} at our {location} clinic.";

    public const string NoUpcomingAppointment = "I don't see any upcoming appointments on your file.";

    public const string WhatNext =
        "Would you like me to look at today's openings, or connect you with our scheduling team?";

    public static IReadOnlyList<string> WhatNextChoices { get; } = ["See today's openings", "Talk to scheduling", "That's all"];

    public static string OpeningsToday(string slots) =>
        $"I can't book or promise a slot myself, but today we have openings at {slots}. " +
        "Our scheduling coordinator, the best person to book, move or cancel appointments, can confirm one with you. Shall I connect you?";

    public const string NoOpeningsToday =
        "There are no open slots left today. Our scheduling coordinator, the best person to book, move or cancel appointments, can look at every option with you. Shall I connect you?";

    public const string Anytime = "Okay. If anything else comes up about your appointment, just ask.";
}
