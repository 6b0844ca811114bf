using ClinicBot.Dialogs.Handoff;

namespace ClinicBot.Bot.Handoff;

/// <summary>Pushes handoff changes and messages to the staff console in real time (SignalR in the host).</summary>
public interface IStaffConsoleNotifier
{
    /// <summary>A chat joined, left or moved in a queue, or changed hands.</summary>
    Task HandoffChangedAsync(HandoffRequest handoff, CancellationToken cancellationToken);

    /// <summary>A new line in a handoff's transcript (patient message, staff reply, system line or internal note).</summary>
    Task MessageAsync(HandoffMessage message, CancellationToken cancellationToken);
}

/// <summary>For hosts without a console (dialog tests): nothing to push to.</summary>
public sealed class NullStaffConsoleNotifier : IStaffConsoleNotifier
{
    public Task HandoffChangedAsync(HandoffRequest handoff, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task MessageAsync(HandoffMessage message, CancellationToken cancellationToken) => Task.CompletedTask;
}
