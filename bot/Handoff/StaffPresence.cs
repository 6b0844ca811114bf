using System.Collections.Concurrent;
using ClinicBot.Dialogs.Handoff;

namespace ClinicBot.Bot.Handoff;

/// <summary>
/// Who is signed in to the staff console and able to take chats, per department. Supervisors and the
/// front desk can take any department's chats. Connections to this instance are tracked here; staff connected to
/// other instances come from the shared store (<see cref="ScaleOut.SharedPresenceService"/> publishes this
/// instance's list with a heartbeat and reads everyone else's), so a staff member online on instance B counts for a
/// patient on instance A.
/// </summary>
public sealed class StaffPresence : IStaffPresence
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, string[]>> _online = new(StringComparer.Ordinal);
    private volatile IReadOnlyList<PresentStaff> _elsewhere = [];

    /// <summary>Raised when a connection comes or goes, so the shared list is updated at once, not at the next heartbeat.</summary>
    public event Action? Changed;

    public void MarkOnline(string connectionId, string staffId, IReadOnlyCollection<string> departments)
    {
        _online.GetOrAdd(staffId, _ => new(StringComparer.Ordinal))[connectionId] = [.. departments];
        Changed?.Invoke();
    }

    public void MarkOffline(string connectionId, string staffId)
    {
        if (_online.TryGetValue(staffId, out var connections))
        {
            connections.TryRemove(connectionId, out _);
            if (connections.IsEmpty)
            {
                _online.TryRemove(new KeyValuePair<string, ConcurrentDictionary<string, string[]>>(staffId, connections));
            }
        }

        Changed?.Invoke();
    }

    public bool IsAvailable(string departmentKey) =>
        _online.Values.Any(connections => connections.Values.Any(departments => Covers(departments, departmentKey)))
        || _elsewhere.Any(staff => Covers(staff.Departments, departmentKey));

    public bool IsAnyoneAvailable => !_online.IsEmpty || _elsewhere.Count > 0;

    /// <summary>Staff connected to this instance or (per the shared store) to another one.</summary>
    public int OnlineStaffCount => _online.Keys.Concat(_elsewhere.Select(s => s.StaffId)).Distinct(StringComparer.Ordinal).Count();

    /// <summary>The staff connected to this instance, one entry per staff member with all their departments.</summary>
    public IReadOnlyList<PresentStaff> Local() =>
        _online.Select(pair => new PresentStaff(pair.Key, pair.Value.Values.SelectMany(d => d).Distinct(StringComparer.OrdinalIgnoreCase).ToArray()))
            .Where(s => s.Departments.Length > 0)
            .ToList();

    /// <summary>Replaces what is known about staff connected to other instances.</summary>
    public void SetElsewhere(IReadOnlyList<PresentStaff> staff) => _elsewhere = staff ?? [];

    private static bool Covers(IReadOnlyCollection<string> departments, string departmentKey) =>
        departments.Contains("*", StringComparer.Ordinal) || departments.Contains(departmentKey, StringComparer.OrdinalIgnoreCase);
}

/// <summary>A staff member online somewhere, with the departments whose chats they can take ("*" = any).</summary>
public sealed record PresentStaff(string StaffId, string[] Departments);
