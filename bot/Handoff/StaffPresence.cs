using System.Collections.Concurrent;
using ClinicBot.Dialogs.Handoff;

namespace ClinicBot.Bot.Handoff;

/// <summary>
/// Who is signed in to the staff console and able to take chats, per department. Supervisors and the
/// front desk can take any department's chats.
/// </summary>
public sealed class StaffPresence : IStaffPresence
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, string[]>> _online = new(StringComparer.Ordinal);

    public void MarkOnline(string connectionId, string staffId, IReadOnlyCollection<string> departments)
    {
        _online.GetOrAdd(staffId, _ => new(StringComparer.Ordinal))[connectionId] = [.. departments];
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
    }

    public bool IsAvailable(string departmentKey) =>
        _online.Values.Any(connections => connections.Values.Any(departments =>
            departments.Contains("*", StringComparer.Ordinal) || departments.Contains(departmentKey, StringComparer.OrdinalIgnoreCase)));

    public int OnlineStaffCount => _online.Count;
}
