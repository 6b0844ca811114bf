using ClinicBot.Dialogs.Bots;
using ClinicBot.Dialogs.Patients;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Schema;

namespace ClinicBot.Bot.DirectLine;

/// <summary>
/// The Bot Framework adapter of the built-in Direct Line: runs ClinicBot's middleware and turn-error policy
/// like the Azure adapter, and delivers what the bot sends by appending it to the conversation's activity log
/// and pushing it to the conversation's open streams. Typing indicators are pushed but not logged.
/// </summary>
public sealed class DirectLineAdapter : BotAdapter
{
    /// <summary>Service URL of built-in Direct Line conversations: not HTTP, so the Azure adapter never claims them.</summary>
    public const string ServiceUrl = "urn:clinicbot:directline";

    public const string ChannelId = Microsoft.Bot.Connector.Channels.Webchat;

    private readonly DirectLineActivityLog _log;
    private readonly DirectLineStreams _streams;

    public DirectLineAdapter(
        DirectLineActivityLog log,
        DirectLineStreams streams,
        TurnErrorHandler turnErrorHandler,
        IEnumerable<Microsoft.Bot.Builder.IMiddleware> middleware)
    {
        ArgumentNullException.ThrowIfNull(turnErrorHandler);
        _log = log;
        _streams = streams;
        OnTurnError = turnErrorHandler.HandleAsync;
        foreach (var component in middleware)
        {
            Use(component);
        }
    }

    public static ChannelAccount Bot => new("clinicbot", "ClinicBot", RoleTypes.Bot);

    /// <summary>Runs one turn for an activity the endpoint has checked and stamped.</summary>
    public async Task ProcessActivityAsync(Activity activity, string? verifiedPatientId, BotCallbackHandler callback, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(activity);
        using var context = new TurnContext(this, activity);
        if (verifiedPatientId is not null)
        {
            context.TurnState.Add(new VerifiedPatient(verifiedPatientId));
        }

        await RunPipelineAsync(context, callback, cancellationToken);
    }

    /// <summary>
    /// A proactive turn (follow-up answers, handoff events). Bot Builder's base version disposes the turn context when
    /// the pipeline first yields (it returns the task from inside a <c>using</c>), so any truly asynchronous store
    /// call made the rest of the turn fail with ObjectDisposedException; here the context lives until the turn ends.
    /// </summary>
    public override async Task ContinueConversationAsync(string botId, ConversationReference reference, BotCallbackHandler callback, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(callback);
        using var context = new TurnContext(this, reference.GetContinuationActivity());
        await RunPipelineAsync(context, callback, cancellationToken);
    }

    public override async Task<ResourceResponse[]> SendActivitiesAsync(ITurnContext turnContext, Activity[] activities, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        ArgumentNullException.ThrowIfNull(activities);
        var responses = new ResourceResponse[activities.Length];
        for (var i = 0; i < activities.Length; i++)
        {
            var activity = activities[i];
            switch (activity.Type)
            {
                case ActivityTypesEx.Delay:
                    var delay = activity.Value is int ms ? ms : Convert.ToInt32(activity.Value ?? 1000, System.Globalization.CultureInfo.InvariantCulture);
                    await Task.Delay(Math.Clamp(delay, 0, 10_000), cancellationToken);
                    responses[i] = new ResourceResponse();
                    continue;
                case ActivityTypesEx.InvokeResponse:
                    turnContext.TurnState.Add(InvokeResponseKey, activity);
                    responses[i] = new ResourceResponse();
                    continue;
            }

            var conversationId = activity.Conversation?.Id ?? turnContext.Activity.Conversation.Id;
            activity.ChannelId = ChannelId;
            activity.ServiceUrl = ServiceUrl;
            activity.From ??= Bot;
            activity.From.Role ??= RoleTypes.Bot;
            if (activity.Type == ActivityTypes.Typing)
            {
                // Transient: pushed to open streams only, with an id but no place in the log.
                activity.Id = conversationId + "|typing-" + Guid.NewGuid().ToString("N")[..8];
                activity.Timestamp = DateTimeOffset.UtcNow;
                _streams.Publish(conversationId, new LoggedActivity(0, DirectLineActivityLog.Serialize(activity)));
                responses[i] = new ResourceResponse(activity.Id);
                continue;
            }

            var logged = await _log.AppendAsync(conversationId, activity, a => _streams.Publish(conversationId, a), cancellationToken);
            responses[i] = new ResourceResponse(activity.Id ?? DirectLineActivityLog.ActivityId(conversationId, logged.Sequence));
        }

        return responses;
    }

    public override Task<ResourceResponse> UpdateActivityAsync(ITurnContext turnContext, Activity activity, CancellationToken cancellationToken) =>
        throw new NotSupportedException("The built-in Direct Line does not update sent activities.");

    public override Task DeleteActivityAsync(ITurnContext turnContext, ConversationReference reference, CancellationToken cancellationToken) =>
        throw new NotSupportedException("The built-in Direct Line does not delete sent activities.");

    private static class ActivityTypesEx
    {
        public const string Delay = "delay";
        public const string InvokeResponse = "invokeResponse";
    }
}
