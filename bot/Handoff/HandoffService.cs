using System.Collections.Concurrent;
using ClinicBot.Bot.Proactive;
using ClinicBot.Bot.Staff;
using ClinicBot.Bot.Transcripts;
using ClinicBot.Dialogs.Handoff;
using Microsoft.Extensions.Options;

namespace ClinicBot.Bot.Handoff;

/// <summary>
/// What staff do with a chat: accept, reply, note, transfer, escalate, end, pull. Each change is made durable in the
/// queue first; only then is the patient told (through a proactive event turn, so the bot applies it in order with the
/// patient's own messages) and the console updated.
/// </summary>
public sealed class HandoffService(
    IHandoffQueue queue,
    ConversationNotifier notifier,
    IStaffConsoleNotifier console,
    ConversationTranscriptStore transcripts,
    IOptions<HandoffOptions> options,
    TimeProvider time,
    ILogger<HandoffService> logger)
{
    public const int MaxMessageLength = 4000;
    public const int MaxNoteLength = 2000;
    public const int MaxOutcomeLength = 200;
    public const string SupervisorDepartment = "supervisor";
    private static readonly TimeSpan TypingInterval = TimeSpan.FromSeconds(2);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _lastTyping = new(StringComparer.Ordinal);

    public async Task<HandoffActionResult> AcceptAsync(string id, StaffMember staff, CancellationToken cancellationToken)
    {
        var handoff = await queue.GetAsync(id, cancellationToken);
        if (handoff is null)
        {
            return HandoffActionResult.NotFound;
        }

        if (!staff.Covers(handoff))
        {
            return HandoffActionResult.Forbidden($"This chat is in the {handoff.Department} queue, which you do not take.");
        }

        var change = await queue.AcceptAsync(id, staff.Id, staff.FirstName, time.GetUtcNow(), cancellationToken);
        if (!change.Succeeded)
        {
            return HandoffActionResult.From(change);
        }

        logger.LogInformation("Handoff {HandoffId} accepted by staff {StaffId}", id, staff.Id);
        await SystemLineAsync(id, $"{staff.DisplayName} accepted the chat.", cancellationToken);
        var delivered = await notifier.NotifyHandoffAsync(change.Request!, HandoffEvents.Accepted, new HandoffEventValue(id, staff.FirstName, change.Request!.Department), cancellationToken);
        await ChangedAsync(change.Request!, cancellationToken);
        return HandoffActionResult.Ok(change.Request!, delivered);
    }

    public async Task<HandoffActionResult> SendAsync(string id, StaffMember staff, string? text, CancellationToken cancellationToken)
    {
        if (Invalid(text, MaxMessageLength, "message") is { } invalid)
        {
            return invalid;
        }

        var handoff = await queue.GetAsync(id, cancellationToken);
        if (handoff is null)
        {
            return HandoffActionResult.NotFound;
        }

        if (handoff.Status != HandoffStatus.Active)
        {
            return HandoffActionResult.Conflict(handoff, handoff.Status == HandoffStatus.Waiting ? "Accept the chat before replying." : "This chat has ended.");
        }

        if (handoff.AcceptedBy != staff.Id && !staff.IsSupervisor)
        {
            return HandoffActionResult.Forbidden("Another staff member has this chat.");
        }

        var message = await queue.AppendMessageAsync(new HandoffMessage(id, HandoffMessageSender.Staff, text!.Trim(), time.GetUtcNow(), staff.Id, staff.FirstName), cancellationToken);
        await PushAsync(() => console.MessageAsync(message, cancellationToken), id);
        var delivered = await notifier.NotifyHandoffAsync(handoff, HandoffEvents.AgentMessage, new HandoffEventValue(id, staff.FirstName, handoff.Department, message.Text), cancellationToken);
        if (!delivered)
        {
            logger.LogWarning("Staff message for handoff {HandoffId} could not be delivered to the patient", id);
        }

        return HandoffActionResult.Ok(handoff, delivered);
    }

    public async Task<HandoffActionResult> AddNoteAsync(string id, StaffMember staff, string? text, CancellationToken cancellationToken)
    {
        if (Invalid(text, MaxNoteLength, "note") is { } invalid)
        {
            return invalid;
        }

        var handoff = await queue.GetAsync(id, cancellationToken);
        if (handoff is null)
        {
            return HandoffActionResult.NotFound;
        }

        if (!staff.Covers(handoff) && handoff.AcceptedBy != staff.Id)
        {
            return HandoffActionResult.Forbidden("This chat is not in one of your queues.");
        }

        var message = await queue.AppendMessageAsync(new HandoffMessage(id, HandoffMessageSender.Staff, text!.Trim(), time.GetUtcNow(), staff.Id, staff.FirstName, Internal: true), cancellationToken);
        await PushAsync(() => console.MessageAsync(message, cancellationToken), id);
        return HandoffActionResult.Ok(handoff);
    }

    public Task<HandoffActionResult> TransferAsync(string id, StaffMember staff, string? department, string? note, CancellationToken cancellationToken)
    {
        var target = options.Value.Departments.FirstOrDefault(d => string.Equals(d.Key, department, StringComparison.OrdinalIgnoreCase));
        if (target is null)
        {
            return Task.FromResult(HandoffActionResult.Invalid($"Unknown department. Choose one of: {string.Join(", ", options.Value.Departments.Select(d => d.Key))}."));
        }

        return RequeueAsync(id, staff, target.Key, note, escalate: false, cancellationToken);
    }

    public Task<HandoffActionResult> EscalateAsync(string id, StaffMember staff, string? note, CancellationToken cancellationToken) =>
        RequeueAsync(id, staff, SupervisorDepartment, note, escalate: true, cancellationToken);

    public async Task<HandoffActionResult> EndAsync(string id, StaffMember staff, string? outcome, CancellationToken cancellationToken)
    {
        if (Invalid(outcome, MaxOutcomeLength, "outcome") is { } invalid)
        {
            return invalid;
        }

        if (await RefusedAsync(id, staff, cancellationToken) is { } refused)
        {
            return refused;
        }

        var change = await queue.EndAsync(id, outcome!.Trim(), time.GetUtcNow(), cancellationToken);
        if (!change.Succeeded)
        {
            return HandoffActionResult.From(change);
        }

        logger.LogInformation("Handoff {HandoffId} ended by staff {StaffId}", id, staff.Id);
        await SystemLineAsync(id, $"{staff.DisplayName} ended the chat ({outcome.Trim()}).", cancellationToken);
        var delivered = await notifier.NotifyHandoffAsync(change.Request!, HandoffEvents.Ended, new HandoffEventValue(id, staff.FirstName, change.Request!.Department), cancellationToken);
        await ChangedAsync(change.Request!, cancellationToken);
        return HandoffActionResult.Ok(change.Request!, delivered);
    }

    /// <summary>Staff join a conversation that did not ask for a person (they saw something in the transcript).</summary>
    public async Task<HandoffActionResult> PullAsync(string conversationId, StaffMember staff, CancellationToken cancellationToken)
    {
        var conversation = await transcripts.GetConversationAsync(conversationId, cancellationToken);
        if (conversation is null)
        {
            return HandoffActionResult.NotFound;
        }

        var open = (await queue.ListByConversationAsync(conversationId, cancellationToken)).FirstOrDefault(h => h.Status != HandoffStatus.Ended);
        if (open is not null)
        {
            return HandoffActionResult.Conflict(open, "This conversation already has a handoff; accept that one instead.");
        }

        var now = time.GetUtcNow();
        var department = staff.Departments.FirstOrDefault(d => d != "*" && options.Value.Departments.Any(k => string.Equals(k.Key, d, StringComparison.OrdinalIgnoreCase)))
            ?? (staff.IsSupervisor ? SupervisorDepartment : options.Value.DefaultDepartment);
        var handoff = new HandoffRequest
        {
            Id = "H-" + Guid.NewGuid().ToString("N")[..10].ToUpperInvariant(),
            ConversationId = conversationId,
            PatientUserId = conversation.PatientUserId,
            PatientName = conversation.PatientName,
            ChannelId = conversation.ChannelId,
            ReplyAddress = conversation.ReplyAddress,
            Department = department,
            Reason = HandoffReason.StaffPulled,
            Request = "Staff joined the conversation.",
            Status = HandoffStatus.Active,
            CreatedAt = now,
            QueuedAt = now,
            AcceptedBy = staff.Id,
            AcceptedByName = staff.FirstName,
            AcceptedAt = now,
        };
        await queue.EnqueueAsync(handoff, cancellationToken);
        logger.LogInformation("Staff {StaffId} pulled conversation {ConversationId} as handoff {HandoffId}", staff.Id, conversationId, handoff.Id);
        await SystemLineAsync(handoff.Id, $"{staff.DisplayName} joined the conversation.", cancellationToken);
        var delivered = await notifier.NotifyHandoffAsync(handoff, HandoffEvents.Accepted, new HandoffEventValue(handoff.Id, staff.FirstName, department, StaffPulled: true), cancellationToken);
        await ChangedAsync(handoff, cancellationToken);
        return HandoffActionResult.Ok(handoff, delivered);
    }

    /// <summary>Shows the patient that the staff member is typing (at most every two seconds per chat).</summary>
    public async Task<HandoffActionResult> TypingAsync(string id, StaffMember staff, CancellationToken cancellationToken)
    {
        var handoff = await queue.GetAsync(id, cancellationToken);
        if (handoff is null)
        {
            return HandoffActionResult.NotFound;
        }

        if (handoff.Status != HandoffStatus.Active || (handoff.AcceptedBy != staff.Id && !staff.IsSupervisor))
        {
            return HandoffActionResult.Conflict(handoff, "Only the staff member who has the chat can type in it.");
        }

        var now = time.GetUtcNow();
        if (_lastTyping.TryGetValue(id, out var last) && now - last < TypingInterval)
        {
            return HandoffActionResult.Ok(handoff);
        }

        _lastTyping[id] = now;
        return HandoffActionResult.Ok(handoff, await notifier.SendTypingAsync(handoff.ReplyAddress, cancellationToken));
    }

    private async Task<HandoffActionResult> RequeueAsync(string id, StaffMember staff, string department, string? note, bool escalate, CancellationToken cancellationToken)
    {
        if (note?.Length > MaxNoteLength)
        {
            return HandoffActionResult.Invalid($"The note is longer than {MaxNoteLength:N0} characters.");
        }

        if (await RefusedAsync(id, staff, cancellationToken) is { } refused)
        {
            return refused;
        }

        var now = time.GetUtcNow();
        var change = escalate
            ? await queue.EscalateAsync(id, department, note, now, cancellationToken)
            : await queue.TransferAsync(id, department, note, now, cancellationToken);
        if (!change.Succeeded)
        {
            return HandoffActionResult.From(change);
        }

        logger.LogInformation("Handoff {HandoffId} {Action} to {Department} by staff {StaffId}", id, escalate ? "escalated" : "transferred", department, staff.Id);
        await SystemLineAsync(id, $"{staff.DisplayName} {(escalate ? "escalated the chat to a supervisor" : "transferred the chat to " + department)}.", cancellationToken);
        if (!string.IsNullOrWhiteSpace(note))
        {
            var noteMessage = await queue.AppendMessageAsync(new HandoffMessage(id, HandoffMessageSender.Staff, note.Trim(), now, staff.Id, staff.FirstName, Internal: true), cancellationToken);
            await PushAsync(() => console.MessageAsync(noteMessage, cancellationToken), id);
        }

        var delivered = await notifier.NotifyHandoffAsync(change.Request!, HandoffEvents.Transferred, new HandoffEventValue(id, Department: department), cancellationToken);
        await ChangedAsync(change.Request!, cancellationToken);
        return HandoffActionResult.Ok(change.Request!, delivered);
    }

    /// <summary>Why staff may not end, transfer or escalate the handoff (there is none, or it is not theirs), or null.</summary>
    private async Task<HandoffActionResult?> RefusedAsync(string id, StaffMember staff, CancellationToken cancellationToken) =>
        await queue.GetAsync(id, cancellationToken) is { } handoff ? Forbidden(handoff, staff) : HandoffActionResult.NotFound;

    /// <summary>An active chat belongs to whoever accepted it (and supervisors); a waiting one to its queue's staff.</summary>
    private static HandoffActionResult? Forbidden(HandoffRequest handoff, StaffMember staff) =>
        handoff.Status == HandoffStatus.Active
            ? handoff.AcceptedBy == staff.Id || staff.IsSupervisor ? null : HandoffActionResult.Forbidden("Another staff member has this chat.")
            : staff.Covers(handoff) ? null : HandoffActionResult.Forbidden($"This chat is in the {handoff.Department} queue, which you do not take.");

    private static HandoffActionResult? Invalid(string? text, int max, string what) =>
        string.IsNullOrWhiteSpace(text) ? HandoffActionResult.Invalid($"The {what} is empty.")
        : text.Length > max ? HandoffActionResult.Invalid($"The {what} is longer than {max:N0} characters.")
        : null;

    private async Task SystemLineAsync(string id, string text, CancellationToken cancellationToken)
    {
        var message = await queue.AppendMessageAsync(new HandoffMessage(id, HandoffMessageSender.System, text, time.GetUtcNow()), cancellationToken);
        await PushAsync(() => console.MessageAsync(message, cancellationToken), id);
    }

    private Task ChangedAsync(HandoffRequest handoff, CancellationToken cancellationToken) =>
        PushAsync(() => console.HandoffChangedAsync(handoff, cancellationToken), handoff.Id);

    private async Task PushAsync(Func<Task> push, string id)
    {
        try
        {
            await push();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Could not push handoff {HandoffId} to the staff console", id);
        }
    }
}

public enum HandoffActionStatus
{
    Ok,
    NotFound,
    Conflict,
    Forbidden,
    Invalid,
}

/// <summary>What a staff action did; <see cref="Delivered"/> is false when the patient's conversation could not be reached.</summary>
public sealed record HandoffActionResult(HandoffActionStatus Status, HandoffRequest? Handoff = null, string? Reason = null, bool Delivered = true)
{
    public static HandoffActionResult NotFound { get; } = new(HandoffActionStatus.NotFound, Reason: "No handoff or conversation has that id.");

    public static HandoffActionResult Ok(HandoffRequest handoff, bool delivered = true) => new(HandoffActionStatus.Ok, handoff, Delivered: delivered);

    public static HandoffActionResult Conflict(HandoffRequest handoff, string reason) => new(HandoffActionStatus.Conflict, handoff, reason);

    public static HandoffActionResult Forbidden(string reason) => new(HandoffActionStatus.Forbidden, Reason: reason);

    public static HandoffActionResult Invalid(string reason) => new(HandoffActionStatus.Invalid, Reason: reason);

    public static HandoffActionResult From(HandoffChange change) => change.Outcome switch
    {
        HandoffChangeOutcome.NotFound => NotFound,
        HandoffChangeOutcome.Conflict => Conflict(change.Request!, change.Reason ?? "The chat changed in the meantime."),
        _ => Ok(change.Request!),
    };
}
