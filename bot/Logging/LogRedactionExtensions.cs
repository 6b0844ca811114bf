using ClinicBot.Dialogs.Patients;
using Microsoft.Extensions.Compliance.Redaction;

namespace ClinicBot.Bot.Logging;

/// <summary>
/// Health data never reaches logs. Three layers: (1) logs are written with ids, never text (a convention the
/// NoHealthDataInLogsTests hold); (2) where a log must mention a patient-derived value, it is a source-generated
/// LoggerMessage whose parameter carries a <see cref="ClinicBotData"/> classification, and redaction (Microsoft's
/// compliance redaction, erasing) removes the value before any provider sees it; (3) request logs that would carry
/// tokens in query strings (the Direct Line stream URL's <c>t</c>) are off, and the Messenger Graph client has no
/// HTTP logging.
/// </summary>
public static class LogRedactionExtensions
{
    public static IHostApplicationBuilder AddClinicBotLogRedaction(this IHostApplicationBuilder builder)
    {
        builder.Logging.EnableRedaction();
        builder.Services.AddRedaction(redaction =>
        {
            redaction.SetRedactor<ErasingRedactor>(ClinicBotData.All);
            redaction.SetFallbackRedactor<ErasingRedactor>();
        });

        // "Request starting/finished" lines contain the full URL with its query string. Registered after the
        // configuration's rules, so this wins over a Logging:LogLevel entry for the same category.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning);
        return builder;
    }
}

/// <summary>Log messages that mention patient-derived values, with the values classified (and so redacted).</summary>
internal static partial class PatientLog
{
    [LoggerMessage(LogLevel.Debug, "Typing indicator for Messenger user {Psid} failed: {Reason}")]
    public static partial void MessengerTypingFailed(ILogger logger, [ContactDetails] string psid, string reason);

    [LoggerMessage(LogLevel.Information, "Direct Line conversation {ConversationId} started for {PatientName} (verified patient: {Verified})")]
    public static partial void DirectLineConversationStarted(ILogger logger, string conversationId, [PatientName] string? patientName, bool verified);
}
