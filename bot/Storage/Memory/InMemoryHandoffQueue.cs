using System.Text.Json;
using ClinicBot.Dialogs.Handoff;
using Microsoft.Extensions.Options;

namespace ClinicBot.Bot.Storage.Memory;

/// <summary>Handoffs in process memory (Storage:Provider = Memory): for tests and throwaway demos only.</summary>
public sealed class InMemoryHandoffQueue(IOptions<HandoffOptions> options) : IHandoffQueue
{
    private readonly Dictionary<string, string> _documents = new(StringComparer.Ordinal);
    private readonly List<HandoffMessage> _messages = [];
    private readonly Lock _lock = new();
    private long _sequence;

    public async Task<HandoffPlacement> EnqueueAsync(HandoffRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.QueuedAt ??= request.CreatedAt;
        int position;
        lock (_lock)
        {
            if (!_documents.TryAdd(request.Id, Write(request)))
            {
                throw new InvalidOperationException($"Handoff {request.Id} already exists.");
            }

            if (request.Status != HandoffStatus.Waiting)
            {
                return new HandoffPlacement(0, TimeSpan.Zero);
            }

            position = All().Count(h => h.Status == HandoffStatus.Waiting && h.Department == request.Department && h.Id != request.Id
                && (h.QueueRank > request.QueueRank || (h.QueueRank == request.QueueRank && h.WaitingSince <= request.WaitingSince))) + 1;
        }

        return new HandoffPlacement(position, await EstimateWaitAsync(request.Department, position, cancellationToken));
    }

    public Task<HandoffRequest?> GetAsync(string id, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(_documents.TryGetValue(id, out var json) ? Read(json) : null);
        }
    }

    public Task<IReadOnlyList<HandoffRequest>> ListOpenAsync(string? department, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var open = All().Where(h => h.Status != HandoffStatus.Ended && (department is null || h.Department == department)).ToList();
            IReadOnlyList<HandoffRequest> ordered =
            [
                .. open.Where(h => h.Status == HandoffStatus.Waiting)
                    .OrderByDescending(h => h.QueueRank).ThenBy(h => h.WaitingSince).ThenBy(h => h.Id, StringComparer.Ordinal),
                .. open.Where(h => h.Status == HandoffStatus.Active)
                    .OrderBy(h => h.AcceptedAt).ThenBy(h => h.Id, StringComparer.Ordinal),
            ];
            return Task.FromResult(ordered);
        }
    }

    public Task<IReadOnlyList<HandoffRequest>> ListWaitingSinceAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            IReadOnlyList<HandoffRequest> list = All().Where(h => h.Status == HandoffStatus.Waiting && h.WaitingSince <= cutoff)
                .OrderBy(h => h.WaitingSince).ThenBy(h => h.Id, StringComparer.Ordinal).ToList();
            return Task.FromResult(list);
        }
    }

    public Task<IReadOnlyList<HandoffRequest>> ListByConversationAsync(string conversationId, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            IReadOnlyList<HandoffRequest> list = All().Where(h => h.ConversationId == conversationId)
                .OrderByDescending(h => h.CreatedAt).ThenByDescending(h => h.Id, StringComparer.Ordinal).ToList();
            return Task.FromResult(list);
        }
    }

    public Task<HandoffChange> AcceptAsync(string id, string staffId, string staffName, DateTimeOffset at, CancellationToken cancellationToken) =>
        Change(id, request => HandoffTransitions.Accept(request, staffId, staffName, at));

    public Task<HandoffChange> EndAsync(string id, string outcome, DateTimeOffset at, CancellationToken cancellationToken) =>
        Change(id, request => HandoffTransitions.End(request, outcome, at));

    public Task<HandoffChange> TransferAsync(string id, string department, string? note, DateTimeOffset at, CancellationToken cancellationToken) =>
        Change(id, request => HandoffTransitions.Requeue(request, department, note, at, escalate: false));

    public Task<HandoffChange> EscalateAsync(string id, string supervisorDepartment, string? note, DateTimeOffset at, CancellationToken cancellationToken) =>
        Change(id, request => HandoffTransitions.Requeue(request, supervisorDepartment, note, at, escalate: true));

    public Task<HandoffChange> TimeOutAsync(string id, string followUpId, DateTimeOffset at, CancellationToken cancellationToken) =>
        Change(id, request => HandoffTransitions.TimeOut(request, followUpId, at));

    public Task<HandoffChange> MarkUrgentAsync(string id, string redFlag, CancellationToken cancellationToken) =>
        Change(id, request => HandoffTransitions.MarkUrgent(request, redFlag));

    public Task<HandoffMessage> AppendMessageAsync(HandoffMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        lock (_lock)
        {
            var stored = message with { Sequence = ++_sequence };
            _messages.Add(stored);
            return Task.FromResult(stored);
        }
    }

    public Task<IReadOnlyList<HandoffMessage>> GetMessagesAsync(string id, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            IReadOnlyList<HandoffMessage> list = _messages.Where(m => m.HandoffId == id).ToList();
            return Task.FromResult(list);
        }
    }

    public Task<TimeSpan> EstimateWaitAsync(string department, int position, CancellationToken cancellationToken)
    {
        List<TimeSpan> samples;
        lock (_lock)
        {
            samples = All().Where(h => h.Department == department && h.AcceptedAt is not null && h.Reason != HandoffReason.StaffPulled)
                .OrderByDescending(h => h.AcceptedAt)
                .Take(options.Value.WaitEstimateSampleSize)
                .Select(h => h.AcceptedAt!.Value - h.WaitingSince)
                .Select(t => t < TimeSpan.Zero ? TimeSpan.Zero : t)
                .ToList();
        }

        return Task.FromResult(HandoffTransitions.Estimate(samples, position, options.Value.DefaultMinutesPerChat));
    }

    private Task<HandoffChange> Change(string id, Func<HandoffRequest, string?> change)
    {
        lock (_lock)
        {
            if (!_documents.TryGetValue(id, out var json))
            {
                return Task.FromResult(HandoffChange.NotFound);
            }

            var request = Read(json);
            if (change(request) is { } conflict)
            {
                return Task.FromResult(HandoffChange.Conflict(request, conflict));
            }

            _documents[id] = Write(request);
            return Task.FromResult(HandoffChange.Changed(request));
        }
    }

    private IEnumerable<HandoffRequest> All() => _documents.Values.Select(Read);

    private static string Write(HandoffRequest request) => JsonSerializer.Serialize(request, StoreJson.Options);

    private static HandoffRequest Read(string json) => JsonSerializer.Deserialize<HandoffRequest>(json, StoreJson.Options)!;
}
