using ClinicBot.Bot.Proactive;
using ClinicBot.Dialogs.Clinic;
using ClinicBot.Dialogs.FollowUps;
using ClinicBot.Dialogs.Handoff;
using Microsoft.Extensions.Options;

namespace ClinicBot.Bot.Handoff;

/// <summary>
/// Nobody waits forever: a chat waiting longer than <c>Handoff:MaxWaitMinutes</c> in its queue escalates to a
/// supervisor when one is online during opening hours; otherwise (or when it already waited for a supervisor) it becomes a
/// follow-up and the patient is told who will get back to them and by when. Red-flag alerts are never timed out. The follow-up is stored before the handoff
/// is closed, and both before the patient is told, so a restart at any point loses nothing.
/// </summary>
public sealed class HandoffTimeoutService(
    IHandoffQueue queue,
    IFollowUpQueue followUps,
    IStaffPresence presence,
    ClinicCalendar calendar,
    ConversationNotifier notifier,
    IStaffConsoleNotifier console,
    IOptions<HandoffOptions> options,
    TimeProvider time,
    ILogger<HandoffTimeoutService> logger) : BackgroundService
{
    /// <summary>How often waiting chats are checked.</summary>
    public static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(30);

    /// <summary>One pass over the queues; returns how many chats were escalated or turned into follow-ups.</summary>
    public async Task<int> SweepOnceAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var maxWait = TimeSpan.FromMinutes(options.Value.MaxWaitMinutes);
        var handled = 0;
        foreach (var handoff in await queue.ListWaitingSinceAsync(now - maxWait, cancellationToken))
        {
            if (handoff.Reason == HandoffReason.Safety)
            {
                // A red flag never turns into tomorrow's follow-up: it stays at the top of the console until a person takes it.
                continue;
            }

            try
            {
                var canEscalate = !handoff.Escalated
                    && !string.Equals(handoff.Department, HandoffService.SupervisorDepartment, StringComparison.OrdinalIgnoreCase)
                    && calendar.IsOpen(now)
                    && presence.IsAvailable(HandoffService.SupervisorDepartment);
                var done = canEscalate
                    ? await EscalateAsync(handoff, now, cancellationToken)
                    : await TurnIntoFollowUpAsync(handoff, now, cancellationToken);
                handled += done ? 1 : 0;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "Could not time out handoff {HandoffId}; trying again at the next sweep", handoff.Id);
            }
        }

        return handled;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(SweepInterval, time);
        while (true)
        {
            try
            {
                if (!await timer.WaitForNextTickAsync(stoppingToken))
                {
                    return;
                }

                await SweepOnceAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Handoff timeout sweep failed");
            }
        }
    }

    private async Task<bool> EscalateAsync(HandoffRequest handoff, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var change = await queue.EscalateAsync(handoff.Id, HandoffService.SupervisorDepartment, $"Waited more than {options.Value.MaxWaitMinutes} minutes in the {handoff.Department} queue.", now, cancellationToken);
        if (!change.Succeeded)
        {
            return false;
        }

        logger.LogInformation("Handoff {HandoffId} waited too long in {Department}; escalated to a supervisor", handoff.Id, handoff.Department);
        var line = await queue.AppendMessageAsync(new HandoffMessage(handoff.Id, HandoffMessageSender.System, $"Nobody accepted within {options.Value.MaxWaitMinutes} minutes: escalated to a supervisor.", now), cancellationToken);
        await notifier.NotifyHandoffAsync(change.Request!, HandoffEvents.Transferred, new HandoffEventValue(handoff.Id, Department: HandoffService.SupervisorDepartment), cancellationToken);
        await PushAsync(change.Request!, line, cancellationToken);
        return true;
    }

    private async Task<bool> TurnIntoFollowUpAsync(HandoffRequest handoff, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // Deterministic id: a sweep interrupted after storing the follow-up finds it again instead of adding another.
        var followUpId = "F-" + handoff.Id;
        var followUp = await followUps.GetAsync(followUpId, cancellationToken);
        if (followUp is null)
        {
            followUp = new FollowUp
            {
                Id = followUpId,
                PatientUserId = handoff.PatientUserId,
                PatientName = handoff.PatientName,
                ChannelId = handoff.ChannelId,
                ReplyAddress = handoff.ReplyAddress,
                Question = handoff.Request ?? "The patient asked to talk with a person.",
                OriginalText = handoff.Request ?? string.Empty,
                Department = handoff.Department,
                AskedAt = handoff.CreatedAt,
                DueBy = calendar.FollowUpDueBy(now),
            };
            await followUps.AddAsync(followUp, cancellationToken);
        }

        var change = await queue.TimeOutAsync(handoff.Id, followUpId, now, cancellationToken);
        if (!change.Succeeded)
        {
            if (change.Request?.FollowUpId == followUpId)
            {
                // Another instance's sweep timed it out first, into this same follow-up: nothing more to do.
                return false;
            }

            // Someone accepted it in the meantime: the follow-up is not needed after all.
            await followUps.RecordAnswerAsync(followUpId, "A staff member took this chat live before it timed out.", "system", FollowUpStatus.Answered, now, cancellationToken);
            return false;
        }

        logger.LogInformation("Handoff {HandoffId} waited too long; now follow-up {FollowUpId}", handoff.Id, followUpId);
        var line = await queue.AppendMessageAsync(new HandoffMessage(handoff.Id, HandoffMessageSender.System, $"Nobody accepted within {options.Value.MaxWaitMinutes} minutes: turned into follow-up {followUpId}.", now), cancellationToken);
        await notifier.NotifyHandoffAsync(change.Request!, HandoffEvents.TimedOut, new HandoffEventValue(handoff.Id, Department: handoff.Department, DueBy: calendar.Describe(followUp.DueBy)), cancellationToken);
        await PushAsync(change.Request!, line, cancellationToken);
        return true;
    }

    private async Task PushAsync(HandoffRequest handoff, HandoffMessage line, CancellationToken cancellationToken)
    {
        try
        {
            await console.MessageAsync(line, cancellationToken);
            await console.HandoffChangedAsync(handoff, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Could not push handoff {HandoffId} to the staff console", handoff.Id);
        }
    }
}
