using System.Diagnostics;
using ClinicBot.Dialogs.Knowledge;

namespace ClinicBot.Bot.Observability;

/// <summary>Records how long the configured recognizer takes, tagged with its name and whether it was confident.</summary>
public sealed class MeasuredQuestionRecognizer(IQuestionRecognizer inner, string recognizer, ClinicBotTelemetry telemetry) : IQuestionRecognizer
{
    public async Task<RecognitionResult> RecognizeAsync(string text, CancellationToken cancellationToken)
    {
        using var span = ClinicBotTelemetry.Source.StartActivity("clinicbot.recognize");
        span?.SetTag("clinicbot.recognizer", recognizer);
        var started = Stopwatch.GetTimestamp();
        var outcome = "error";
        try
        {
            var result = await inner.RecognizeAsync(text, cancellationToken);
            outcome = result.IsConfident ? "confident" : "not_confident";
            return result;
        }
        finally
        {
            span?.SetTag("clinicbot.outcome", outcome);
            telemetry.RecognizerDuration.Record(
                Stopwatch.GetElapsedTime(started).TotalMilliseconds,
                new TagList { { "recognizer", recognizer }, { "outcome", outcome } });
        }
    }
}
