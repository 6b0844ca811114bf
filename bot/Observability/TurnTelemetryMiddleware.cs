using System.Diagnostics;
using Microsoft.Bot.Builder;

namespace ClinicBot.Bot.Observability;

/// <summary>
/// One span (<c>clinicbot.turn</c>) and one count per bot turn, on every channel. Tags: channel, activity type, the
/// hashed conversation id and, on failure, the exception type. Never the text, the user or their name.
/// </summary>
public sealed class TurnTelemetryMiddleware(ClinicBotTelemetry telemetry) : Microsoft.Bot.Builder.IMiddleware
{
    public async Task OnTurnAsync(ITurnContext turnContext, NextDelegate next, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        ArgumentNullException.ThrowIfNull(next);
        var channel = turnContext.Activity?.ChannelId ?? "unknown";
        var type = turnContext.Activity?.Type ?? "unknown";
        using var span = ClinicBotTelemetry.Source.StartActivity("clinicbot.turn", ActivityKind.Internal);
        span?.SetTag("clinicbot.channel", channel);
        span?.SetTag("clinicbot.activity_type", type);
        span?.SetTag("clinicbot.conversation_hash", ClinicBotTelemetry.HashConversationId(turnContext.Activity?.Conversation?.Id));
        var started = Stopwatch.GetTimestamp();
        try
        {
            await next(cancellationToken);
        }
        catch (Exception ex)
        {
            span?.SetStatus(ActivityStatusCode.Error, ex.GetType().Name);
            span?.SetTag("error.type", ex.GetType().FullName);
            throw;
        }
        finally
        {
            var tags = new TagList { { "channel", channel }, { "activity_type", type } };
            telemetry.Turns.Add(1, tags);
            telemetry.TurnDuration.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds, new TagList { { "channel", channel } });
        }
    }
}
