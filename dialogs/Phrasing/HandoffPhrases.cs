using ClinicBot.Dialogs.Handoff;

namespace ClinicBot.Dialogs.Phrasing;

/// <summary>Every transfer names who will help and why; never a bare "please hold".</summary>
public static class HandoffPhrases
{
    public static string Transfer(Department department, HandoffReason reason)
    {
        ArgumentNullException.ThrowIfNull(department);
        var who = $"our {department.Role}, {department.Why}";
        return reason switch
        {
            HandoffReason.PatientAsked => $"Of course. I'm connecting you with {who}.",
            HandoffReason.DepartmentRequest => $"I'm here to help you get the right information, so I'm connecting you with {who}.",
            HandoffReason.RepeatedMisunderstanding => $"I'm sorry I couldn't sort this out myself. I'm connecting you with {who}.",
            HandoffReason.Frustration or HandoffReason.Complaint => $"I want to make sure this is handled properly, so I'm connecting you with {who}.",
            HandoffReason.Abuse => $"I'm going to pause our automated conversation here and pass this chat to {who}.",
            HandoffReason.Safety => $"I've alerted {who}.",
            HandoffReason.StaffPulled => $"A member of our team has joined: {who}.",
            _ => $"I'm connecting you with {who}.",
        };
    }

    public static string InLine(int position, TimeSpan wait)
    {
        var minutes = Math.Max(1, (int)Math.Round(wait.TotalMinutes));
        var place = position <= 1 ? "You're next in line" : $"You're number {position} in line";
        return $"{place}, and the wait is usually about {minutes} minute{(minutes == 1 ? string.Empty : "s")}. " +
            "They'll see everything you've told me, so you won't need to repeat yourself. Anything you type now goes straight to them.";
    }

    public static string ClosedNow(Department department, string nextOpening) =>
        $"The best person to help is our {department.Role}, {department.Why}, but our team isn't in right now: we're back {nextOpening}. " +
        $"Rather than leave you waiting, I've passed your request to {department.TeamName}.";

    public static string NobodyFreeNow(Department department) =>
        $"The best person to help is our {department.Role}, {department.Why}, but everyone on {department.TeamName} is helping other patients right now. " +
        "Rather than leave you waiting, I've passed your request to them.";

    public static string FollowUpInstead(string dueBy) =>
        $"They'll get back to you right here by {dueBy}.";

    public static string AgentJoined(string agentName, Department department) =>
        $"{agentName}, our {department.Role}, has joined the chat and can see our conversation so far.";

    public static string BackWithBot(string? firstName) =>
        (firstName is null ? "Thanks for chatting with our team. " : $"Thanks for chatting with our team, {firstName}. ") +
        "You're back with the automated assistant. Is there anything else I can help you with?";

    public static string TransferredTo(Department department) =>
        $"I'm moving your chat to our {department.Role}, {department.Why}. They'll see everything so far, so you won't need to repeat yourself.";

    public static string TimedOut(Department department, string dueBy) =>
        $"I'm sorry nobody from {department.TeamName} could join in time. Your request hasn't been lost: it's now with them as a follow-up, and they'll get back to you right here by {dueBy}.";

    public const string ExternalHubJoining =
        "They'll join this chat shortly and will see everything you've told me, so you won't need to repeat yourself. Anything you type now goes straight to them.";

    public const string ExternalHubFailed =
        "I'm sorry, I couldn't connect you with a member of our team just now. You're back with the automated assistant: I can take your question for our team to answer later, or you can try again in a little while.";

    public const string WaitCancelled = "Okay, I've taken you out of the queue. I'm still here if you need anything.";
}
