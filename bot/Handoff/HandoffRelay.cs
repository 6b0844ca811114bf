using ClinicBot.Dialogs.Handoff;
using ClinicBot.Dialogs.Safety;

namespace ClinicBot.Bot.Handoff;

/// <summary>
/// Carries patient messages to the staff member who has (or will take) the chat: stored in the handoff's transcript
/// first (durable), then pushed to the console in real time.
/// </summary>
public sealed class HandoffRelay(IHandoffQueue queue, IStaffConsoleNotifier console, TimeProvider time, ILogger<HandoffRelay> logger) : IHandoffRelay
{
    public async Task RelayFromPatientAsync(string handoffId, string? text, CancellationToken cancellationToken)
    {
        if (await queue.GetAsync(handoffId, cancellationToken) is null)
        {
            // Not ours (an external agent hub has the chat and sees the conversation itself).
            return;
        }

        var message = await queue.AppendMessageAsync(new HandoffMessage(handoffId, HandoffMessageSender.Patient, text ?? string.Empty, time.GetUtcNow()), cancellationToken);
        await PushAsync(() => console.MessageAsync(message, cancellationToken), handoffId);
    }

    public async Task<HandoffRequest?> FlagAsync(string handoffId, string? text, RedFlag flag, string note, CancellationToken cancellationToken)
    {
        var change = await queue.MarkUrgentAsync(handoffId, flag.ToString(), cancellationToken);
        if (!change.Succeeded)
        {
            return null;
        }

        await RelayFromPatientAsync(handoffId, text, cancellationToken);
        await NoteAsync(handoffId, note, cancellationToken);
        await PushAsync(() => console.HandoffChangedAsync(change.Request!, cancellationToken), handoffId);
        return change.Request;
    }

    public async Task NoteAsync(string handoffId, string note, CancellationToken cancellationToken)
    {
        var message = await queue.AppendMessageAsync(new HandoffMessage(handoffId, HandoffMessageSender.System, note, time.GetUtcNow()), cancellationToken);
        await PushAsync(() => console.MessageAsync(message, cancellationToken), handoffId);
    }

    public async Task CancelByPatientAsync(string handoffId, CancellationToken cancellationToken)
    {
        var change = await queue.EndAsync(handoffId, HandoffTransitions.CancelledByPatientOutcome, time.GetUtcNow(), cancellationToken);
        if (!change.Succeeded)
        {
            return;
        }

        var message = await queue.AppendMessageAsync(new HandoffMessage(handoffId, HandoffMessageSender.System, "The patient left the queue.", time.GetUtcNow()), cancellationToken);
        await PushAsync(() => console.MessageAsync(message, cancellationToken), handoffId);
        await PushAsync(() => console.HandoffChangedAsync(change.Request!, cancellationToken), handoffId);
    }

    private async Task PushAsync(Func<Task> push, string handoffId)
    {
        try
        {
            await push();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Stored already: the console shows it on its next refresh.
            logger.LogWarning(ex, "Could not push handoff {HandoffId} to the staff console", handoffId);
        }
    }
}
