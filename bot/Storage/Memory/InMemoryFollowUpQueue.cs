using System.Text.Json;
using ClinicBot.Dialogs.FollowUps;

namespace ClinicBot.Bot.Storage.Memory;

/// <summary>Follow-ups in process memory (Storage:Provider = Memory): for tests and throwaway demos only.</summary>
public sealed class InMemoryFollowUpQueue : IFollowUpQueue
{
    private readonly Dictionary<string, string> _documents = [];
    private readonly Lock _lock = new();

    public Task AddAsync(FollowUp followUp, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(followUp);
        lock (_lock)
        {
            if (!_documents.TryAdd(followUp.Id, JsonSerializer.Serialize(followUp, StoreJson.Options)))
            {
                throw new InvalidOperationException($"Follow-up {followUp.Id} already exists.");
            }
        }

        return Task.CompletedTask;
    }

    public Task<FollowUp?> GetAsync(string id, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(_documents.TryGetValue(id, out var json) ? Read(json) : null);
        }
    }

    public Task<IReadOnlyList<FollowUp>> ListAsync(FollowUpStatus? status, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            IReadOnlyList<FollowUp> list = _documents.Values.Select(Read)
                .Where(f => status is null || f.Status == status)
                .OrderBy(f => f.AskedAt).ThenBy(f => f.Id, StringComparer.Ordinal)
                .ToList();
            return Task.FromResult(list);
        }
    }

    public Task SetContactAsync(string id, string? email, string? phone, CancellationToken cancellationToken)
    {
        Update(id, requireOpen: false, f => f.UpdateContact(email, phone));
        return Task.CompletedTask;
    }

    public Task<bool> RecordAnswerAsync(string id, string answer, string answeredBy, FollowUpStatus status, DateTimeOffset answeredAt, CancellationToken cancellationToken) =>
        Task.FromResult(Update(id, requireOpen: true, f => f.RecordAnswer(answer, answeredBy, status, answeredAt)));

    public Task MarkNeedsCallbackAsync(string id, CancellationToken cancellationToken)
    {
        Update(id, requireOpen: false, f => f.Status = FollowUpStatus.NeedsCallback);
        return Task.CompletedTask;
    }

    private bool Update(string id, bool requireOpen, Action<FollowUp> change)
    {
        lock (_lock)
        {
            if (!_documents.TryGetValue(id, out var json))
            {
                return false;
            }

            var followUp = Read(json);
            if (requireOpen && followUp.Status != FollowUpStatus.Open)
            {
                return false;
            }

            change(followUp);
            _documents[id] = JsonSerializer.Serialize(followUp, StoreJson.Options);
            return true;
        }
    }

    private static FollowUp Read(string json) => JsonSerializer.Deserialize<FollowUp>(json, StoreJson.Options)!;
}
