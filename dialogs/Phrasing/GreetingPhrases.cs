namespace ClinicBot.Dialogs.Phrasing;

/// <summary>Every sentence the bot uses to greet patients and learn their name.</summary>
public static class GreetingPhrases
{
    public static string Welcome(string firstName, string clinicName) =>
        $"Hi {firstName}! I'm the virtual assistant for {clinicName}. {WhatICanDo}";

    public static string WelcomeBack(string firstName) =>
        $"Welcome back, {firstName}! What can I help you with today?";

    public static string WelcomeAnonymous(string clinicName) =>
        $"Hi there! I'm the virtual assistant for {clinicName}. {WhatICanDo}";

    public static string HelloVisitor(string clinicName) => $"Hi there! I'm the virtual assistant for {clinicName}.";

    public const string WhatICanDo =
        "I can answer questions about our hours, locations, insurance and services, help with appointments, " +
        "or connect you with our team. What can I help you with?";

    public const string AskName = "Before we start, what's your first name? (You can also say \"skip\".)";

    public const string AskNameRetry = "Sorry, I didn't catch a name there. What should I call you? Or say \"skip\" and we'll carry on.";

    public static string NiceToMeetYou(string firstName) => $"Nice to meet you, {firstName}! " + WhatICanDo;

    public const string NoNameNeeded = "No problem at all. " + WhatICanDo;

    public const string Help =
        "Here's what I can do: answer questions about our clinic (hours, locations, parking, insurance, services), " +
        "check on your appointments, pass a question to our staff and get back to you, or connect you with a person. " +
        "You can say \"start over\" at any time, or \"talk to a person\".";

    public const string StartedOver = "Okay, let's start fresh. What can I help you with?";

    /// <summary>Quick replies the bot offers after a greeting.</summary>
    public static IReadOnlyList<string> StarterChoices { get; } = ["Opening hours", "Insurance we accept", "My appointments", "Talk to a person"];
}
