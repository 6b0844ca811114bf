using System.Diagnostics.Metrics;

namespace ClinicBot.Dialogs.Safety;

/// <summary>
/// Counts every safety decision (<c>clinicbot.safety.assessments</c>: level, category, what found it, channel) and
/// every staff alert it raised (<c>clinicbot.safety.alerts</c>: category, who was told). Counts only: no text, no ids.
/// </summary>
public static class SafetyMetrics
{
    private static readonly Meter Meter = new("ClinicBot");

    private static readonly Counter<long> Assessments = Meter.CreateCounter<long>("clinicbot.safety.assessments", "{message}", "Patient messages read for red flags, by level, category, source and channel.");

    private static readonly Counter<long> Alerts = Meter.CreateCounter<long>("clinicbot.safety.alerts", "{alert}", "Red-flag alerts raised, by category and whom they reached (console, on-call, agent in the chat).");

    public static void Assessed(RedFlagAssessment assessment, string? channelId) =>
        Assessments.Add(
            1,
            new KeyValuePair<string, object?>("level", assessment.Level.ToString()),
            new KeyValuePair<string, object?>("flag", assessment.Flag.ToString()),
            new KeyValuePair<string, object?>("source", assessment.Source.ToString()),
            new KeyValuePair<string, object?>("channel", channelId));

    public static void Alerted(RedFlag flag, string reached) =>
        Alerts.Add(1, new KeyValuePair<string, object?>("flag", flag.ToString()), new KeyValuePair<string, object?>("reached", reached));
}
