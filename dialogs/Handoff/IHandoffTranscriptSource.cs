using Microsoft.Bot.Schema;

namespace ClinicBot.Dialogs.Handoff;

/// <summary>
/// The conversation so far as Bot Framework activities, for the <c>handoff.initiate</c> event sent to an external agent
/// hub (<see cref="HandoffMode.ExternalHub"/>). The host provides it from its transcript store.
/// </summary>
public interface IHandoffTranscriptSource
{
    Task<IList<Activity>> GetActivitiesAsync(string conversationId, CancellationToken cancellationToken);
}

/// <summary>Default when the host records no transcript: the hub gets the context without earlier messages.</summary>
public sealed class EmptyHandoffTranscriptSource : IHandoffTranscriptSource
{
    public Task<IList<Activity>> GetActivitiesAsync(string conversationId, CancellationToken cancellationToken) =>
        Task.FromResult<IList<Activity>>([]);
}

/// <summary>The <c>state</c> values of the Bot Framework <c>handoff.status</c> event (EventFactory.CreateHandoffStatus).</summary>
public static class HandoffStates
{
    public const string Accepted = "accepted";
    public const string Completed = "completed";
    public const string Failed = "failed";
}
