using System.Collections.Concurrent;
using ClinicBot.Dialogs.Middleware;

namespace ClinicBot.Bot.Storage.Memory;

/// <summary>Process-local delivery records (Storage:Provider = Memory and tests); forgotten on restart.</summary>
public sealed class InMemoryActivityDeduplicator : IActivityDeduplicator
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public Task<DeliveryClaim> ClaimAsync(string key, CancellationToken cancellationToken)
    {
        var added = new Entry();
        var current = _entries.GetOrAdd(key, added);
        return Task.FromResult(ReferenceEquals(current, added) ? DeliveryClaim.First : DeliveryClaim.Duplicate(current.Result));
    }

    public Task CompleteAsync(string key, string? result, CancellationToken cancellationToken)
    {
        if (_entries.TryGetValue(key, out var entry))
        {
            entry.Result = result;
        }

        return Task.CompletedTask;
    }

    public Task ReleaseAsync(string key, CancellationToken cancellationToken)
    {
        _entries.TryRemove(key, out _);
        return Task.CompletedTask;
    }

    private sealed class Entry
    {
        public string? Result { get; set; }
    }
}
