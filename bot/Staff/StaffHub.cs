using ClinicBot.Bot.Handoff;
using ClinicBot.Dialogs.Handoff;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace ClinicBot.Bot.Staff;

/// <summary>
/// The console's live connection: a connected staff member counts as online for their departments (so the bot offers
/// a live chat), receives queue changes and the messages of the chats they watch, and sends typing indicators.
/// </summary>
[Authorize(Policy = StaffConsoleExtensions.StaffPolicy)]
public sealed class StaffHub(StaffPresence presence, HandoffService handoffs, IHandoffQueue queue) : Hub
{
    public const string Path = "/staff/hub";
    public const string AllStaffGroup = "staff";

    public static string HandoffGroup(string handoffId) => "handoff:" + handoffId;

    public override async Task OnConnectedAsync()
    {
        var staff = Staff();
        presence.MarkOnline(Context.ConnectionId, staff.Id, staff.IsSupervisor ? ["*", HandoffService.SupervisorDepartment] : staff.Departments);
        await Groups.AddToGroupAsync(Context.ConnectionId, AllStaffGroup);
        await base.OnConnectedAsync();
    }

    public override async Task OnDisconnectedAsync(Exception? exception)
    {
        presence.MarkOffline(Context.ConnectionId, Staff().Id);
        await base.OnDisconnectedAsync(exception);
    }

    /// <summary>Receive a chat's messages live (the console calls this when it opens a chat).</summary>
    public async Task<bool> Watch(string handoffId)
    {
        var handoff = await queue.GetAsync(handoffId, Context.ConnectionAborted);
        var staff = Staff();
        if (handoff is null || !(staff.Covers(handoff) || handoff.AcceptedBy == staff.Id))
        {
            return false;
        }

        await Groups.AddToGroupAsync(Context.ConnectionId, HandoffGroup(handoffId));
        return true;
    }

    public Task Unwatch(string handoffId) => Groups.RemoveFromGroupAsync(Context.ConnectionId, HandoffGroup(handoffId));

    /// <summary>The staff member is typing: the patient sees a typing indicator.</summary>
    public async Task Typing(string handoffId) => await handoffs.TypingAsync(handoffId, Staff(), Context.ConnectionAborted);

    private StaffMember Staff() => StaffMember.FromPrincipal(Context.User) ?? throw new HubException("Not signed in.");
}

/// <summary>Pushes handoff changes to every console and messages to the consoles watching that chat.</summary>
public sealed class SignalRStaffConsoleNotifier(IHubContext<StaffHub> hub) : IStaffConsoleNotifier
{
    public Task HandoffChangedAsync(HandoffRequest handoff, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(handoff);
        return hub.Clients.Group(StaffHub.AllStaffGroup).SendAsync("handoffChanged", new { id = handoff.Id, status = handoff.Status.ToString(), department = handoff.Department }, cancellationToken);
    }

    public Task MessageAsync(HandoffMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        return hub.Clients.Group(StaffHub.HandoffGroup(message.HandoffId)).SendAsync("message", StaffApiModels.Message(message), cancellationToken);
    }
}
