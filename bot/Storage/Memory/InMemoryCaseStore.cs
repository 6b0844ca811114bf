using System.Text.Json;
using ClinicBot.Dialogs.Cases;

namespace ClinicBot.Bot.Storage.Memory;

/// <summary>Complaint cases in process memory (Storage:Provider = Memory): for tests and throwaway demos only.</summary>
public sealed class InMemoryCaseStore(TimeProvider time) : ICaseStore
{
    private readonly Dictionary<string, string> _documents = [];
    private readonly Lock _lock = new();

    public Task<ComplaintCase> CreateAsync(ComplaintCase complaint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(complaint);
        lock (_lock)
        {
            if (string.IsNullOrEmpty(complaint.Id))
            {
                complaint.Id = Guid.NewGuid().ToString("N");
            }

            if (_documents.ContainsKey(complaint.Id))
            {
                throw new InvalidOperationException($"Case {complaint.Id} already exists.");
            }

            if (complaint.CreatedAt == default)
            {
                complaint.CreatedAt = time.GetUtcNow();
            }

            var taken = _documents.Values.Select(Read).Select(c => c.Reference).ToHashSet(StringComparer.Ordinal);
            do
            {
                complaint.Reference = CaseReferences.New();
            }
            while (taken.Contains(complaint.Reference));

            _documents.Add(complaint.Id, JsonSerializer.Serialize(complaint, StoreJson.Options));
            return Task.FromResult(complaint);
        }
    }

    public Task<ComplaintCase?> GetAsync(string idOrReference, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (idOrReference is not null && _documents.TryGetValue(idOrReference, out var json))
            {
                return Task.FromResult<ComplaintCase?>(Read(json));
            }

            var reference = CaseReferences.Normalize(idOrReference);
            return Task.FromResult(reference is null ? null : _documents.Values.Select(Read).FirstOrDefault(c => c.Reference == reference));
        }
    }

    public Task<IReadOnlyList<ComplaintCase>> ListAsync(CaseStatus? status, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            IReadOnlyList<ComplaintCase> list = _documents.Values.Select(Read)
                .Where(c => status is null || c.Status == status)
                .OrderBy(c => c.CreatedAt).ThenBy(c => c.Id, StringComparer.Ordinal)
                .ToList();
            return Task.FromResult(list);
        }
    }

    public Task<bool> UpdateAsync(ComplaintCase complaint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(complaint);
        lock (_lock)
        {
            if (!_documents.TryGetValue(complaint.Id, out var json))
            {
                return Task.FromResult(false);
            }

            var stored = JsonSerializer.Deserialize<ComplaintCase>(JsonSerializer.Serialize(complaint, StoreJson.Options), StoreJson.Options)!;
            stored.Reference = Read(json).Reference; // never changes once given to a patient
            _documents[complaint.Id] = JsonSerializer.Serialize(stored, StoreJson.Options);
            return Task.FromResult(true);
        }
    }

    private static ComplaintCase Read(string json) => JsonSerializer.Deserialize<ComplaintCase>(json, StoreJson.Options)!;
}
