namespace ClinicBot.Dialogs.Handoff;

/// <summary>The queue rules every <see cref="IHandoffQueue"/> store shares, so the stores only differ in how they persist.</summary>
public static class HandoffTransitions
{
    public const string TimedOutOutcome = "timed-out";
    public const string CancelledByPatientOutcome = "cancelled-by-patient";

    /// <summary>A staff member takes a waiting chat; returns a conflict reason or null.</summary>
    public static string? Accept(HandoffRequest request, string staffId, string staffName, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Status != HandoffStatus.Waiting)
        {
            return request.Status == HandoffStatus.Active ? "Another staff member has already accepted this chat." : "This chat has ended.";
        }

        request.Status = HandoffStatus.Active;
        request.AcceptedBy = staffId;
        request.AcceptedByName = staffName;
        request.AcceptedAt = at;
        return null;
    }

    /// <summary>Ends a chat with an outcome; returns a conflict reason or null.</summary>
    public static string? End(HandoffRequest request, string outcome, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Status == HandoffStatus.Ended)
        {
            return "This chat has already ended.";
        }

        request.Status = HandoffStatus.Ended;
        request.EndedAt = at;
        request.Outcome = outcome;
        return null;
    }

    /// <summary>A chat nobody took in time becomes the follow-up <paramref name="followUpId"/>; returns a conflict reason or null.</summary>
    public static string? TimeOut(HandoffRequest request, string followUpId, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Status != HandoffStatus.Waiting)
        {
            return "Only a waiting chat can time out.";
        }

        request.Status = HandoffStatus.Ended;
        request.EndedAt = at;
        request.Outcome = TimedOutOutcome;
        request.FollowUpId = followUpId;
        return null;
    }

    /// <summary>A red flag: the chat jumps the queue (Urgent) and says why; returns a conflict reason or null.</summary>
    public static string? MarkUrgent(HandoffRequest request, string redFlag)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Status == HandoffStatus.Ended)
        {
            return "This chat has ended.";
        }

        request.Priority = HandoffPriority.Urgent;
        request.Context["redFlag"] = redFlag;
        return null;
    }

    /// <summary>Back to Waiting in <paramref name="department"/>'s queue; returns a conflict reason or null.</summary>
    public static string? Requeue(HandoffRequest request, string department, string? note, DateTimeOffset at, bool escalate)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Status == HandoffStatus.Ended)
        {
            return "This chat has ended.";
        }

        if (!escalate && string.Equals(request.Department, department, StringComparison.OrdinalIgnoreCase) && request.Status == HandoffStatus.Waiting)
        {
            return "The chat is already waiting in that queue.";
        }

        request.Department = department;
        request.Status = HandoffStatus.Waiting;
        request.AcceptedBy = null;
        request.AcceptedByName = null;
        request.AcceptedAt = null;
        request.QueuedAt = at;
        request.TransferNote = string.IsNullOrWhiteSpace(note) ? null : note.Trim();
        request.Escalated |= escalate;
        return null;
    }

    /// <summary>Median of the samples × position, or the configured minutes per chat × position without history.</summary>
    public static TimeSpan Estimate(IReadOnlyList<TimeSpan> recentTimesToAccept, int position, int defaultMinutesPerChat)
    {
        ArgumentNullException.ThrowIfNull(recentTimesToAccept);
        position = Math.Max(1, position);
        if (recentTimesToAccept.Count == 0)
        {
            return TimeSpan.FromMinutes(defaultMinutesPerChat * position);
        }

        var sorted = recentTimesToAccept.OrderBy(t => t).ToArray();
        var middle = sorted.Length / 2;
        var median = sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
        return median * position;
    }
}
