using System.Security.Claims;

namespace ClinicBot.Bot.Staff;

/// <summary>A signed-in staff member as the handoff engine sees them.</summary>
public sealed record StaffMember(string Id, string DisplayName, string Role, IReadOnlyList<string> Departments)
{
    public const string DepartmentsClaim = "clinicbot:departments";

    /// <summary>The name the patient sees: the first word of the display name.</summary>
    public string FirstName => DisplayName.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? DisplayName;

    public bool IsSupervisor => Role is StaffRoles.Supervisor or StaffRoles.Admin;

    /// <summary>Supervisors and staff with the "*" department take any department's chats.</summary>
    public bool CoversDepartment(string department) =>
        IsSupervisor || Departments.Any(d => d == "*" || string.Equals(d, department, StringComparison.OrdinalIgnoreCase));

    /// <summary>The chats this staff member may open and take: their departments' and every red-flag alert.</summary>
    public bool Covers(ClinicBot.Dialogs.Handoff.HandoffRequest handoff) =>
        handoff.Reason == ClinicBot.Dialogs.Handoff.HandoffReason.Safety || CoversDepartment(handoff.Department);

    public static StaffMember? FromPrincipal(ClaimsPrincipal? user)
    {
        if (user?.Identity?.IsAuthenticated != true)
        {
            return null;
        }

        var id = user.FindFirstValue(ClaimTypes.NameIdentifier) ?? user.FindFirstValue("sub") ?? user.Identity.Name;
        if (string.IsNullOrEmpty(id))
        {
            return null;
        }

        var role = user.IsInRole(StaffRoles.Admin) ? StaffRoles.Admin
            : user.IsInRole(StaffRoles.Supervisor) ? StaffRoles.Supervisor
            : StaffRoles.Agent;
        var departments = user.FindAll(DepartmentsClaim).SelectMany(c => c.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToArray();
        return new StaffMember(id, user.FindFirstValue("name") ?? user.Identity.Name ?? id, role, departments);
    }
}

public static class StaffRoles
{
    public const string Agent = "agent";
    public const string Supervisor = "supervisor";
    public const string Admin = "admin";

    public static IReadOnlyList<string> All { get; } = [Agent, Supervisor, Admin];

    public static bool IsKnown(string? role) => role is Agent or Supervisor or Admin;
}
