namespace ClinicBot.Dialogs.Handoff;

/// <summary>The durable queue of chats waiting for, or held by, staff.</summary>
public interface IHandoffQueue
{
    /// <summary>Stores the request (durable when this returns) and says where it stands in line.</summary>
    Task<HandoffPlacement> EnqueueAsync(HandoffRequest request, CancellationToken cancellationToken);

    Task<HandoffRequest?> GetAsync(string id, CancellationToken cancellationToken);
}

/// <summary>Whether anyone on a team can take a chat right now.</summary>
public interface IStaffPresence
{
    bool IsAvailable(string departmentKey);
}
