using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using ClinicBot.Dialogs.Handoff;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Options;

namespace ClinicBot.Bot.Storage.Cosmos;

/// <summary>
/// The handoff queue in the Cosmos DB container <see cref="CosmosContainers.Handoffs"/>.
/// </summary>
/// <remarks>
/// <para>Requests: <c>{ id, partitionKey: "handoffs", type: "handoff", conversationId, department, status, rank,
/// queuedUtc, acceptedUtc, acceptWaitMs, handoff }</c>, all in one logical partition (<see cref="Partition"/>): the
/// open queue is small and staff list it by department, a single-partition query. Ordering is done in memory.</para>
/// <para>Every state change is read, check, replace with <c>IfMatchEtag</c>; a lost race (412) re-reads and decides
/// again, so of N concurrent accepts exactly one sees a waiting chat and wins and the others get Conflict.</para>
/// <para>Transcript lines: <c>{ id: "m{seq:D10}", partitionKey: "handoff:{id}", type: "message", seq, message }</c>, one
/// logical partition per handoff. The sequence comes from a counter document (<c>id: "seq"</c>) in the same partition,
/// incremented with <c>IfMatchEtag</c>, so lines of one handoff are numbered in order even when two instances append
/// at once.</para>
/// </remarks>
public sealed class CosmosHandoffQueue : IHandoffQueue
{
    /// <summary>The partition key value of every handoff request document.</summary>
    public const string Partition = "handoffs";

    private const int MaxAttempts = 50;
    private const string CounterId = "seq";
    private readonly Container _container;
    private readonly IOptions<HandoffOptions> _options;

    public CosmosHandoffQueue(CosmosContainers containers, IOptions<HandoffOptions> options)
    {
        ArgumentNullException.ThrowIfNull(containers);
        _container = containers.Handoffs;
        _options = options ?? throw new ArgumentNullException(nameof(options));
    }

    public async Task<HandoffPlacement> EnqueueAsync(HandoffRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.QueuedAt ??= request.CreatedAt;
        using (var response = await _container.CreateItemStreamAsync(CosmosDocuments.ToStream(Document(request)), new PartitionKey(Partition), cancellationToken: cancellationToken))
        {
            if (response.StatusCode == HttpStatusCode.Conflict)
            {
                throw new InvalidOperationException($"Handoff {request.Id} already exists.");
            }

            response.EnsureSuccessStatusCode();
        }

        if (request.Status != HandoffStatus.Waiting)
        {
            return new HandoffPlacement(0, TimeSpan.Zero);
        }

        var waiting = await QueryAsync(
            new QueryDefinition("SELECT c.handoff FROM c WHERE c.partitionKey = @p AND c.type = 'handoff' AND c.status = 'Waiting' AND c.department = @d")
                .WithParameter("@p", Partition)
                .WithParameter("@d", request.Department),
            cancellationToken);
        var position = waiting.Count(h => h.Id != request.Id
            && (h.QueueRank > request.QueueRank || (h.QueueRank == request.QueueRank && h.WaitingSince <= request.WaitingSince))) + 1;
        return new HandoffPlacement(position, await EstimateWaitAsync(request.Department, position, cancellationToken));
    }

    public async Task<HandoffRequest?> GetAsync(string id, CancellationToken cancellationToken) =>
        (await ReadAsync(id, cancellationToken)).Request;

    public async Task<IReadOnlyList<HandoffRequest>> ListOpenAsync(string? department, CancellationToken cancellationToken)
    {
        var query = department is null
            ? new QueryDefinition("SELECT c.handoff FROM c WHERE c.partitionKey = @p AND c.type = 'handoff' AND (c.status = 'Waiting' OR c.status = 'Active')")
                .WithParameter("@p", Partition)
            : new QueryDefinition("SELECT c.handoff FROM c WHERE c.partitionKey = @p AND c.type = 'handoff' AND (c.status = 'Waiting' OR c.status = 'Active') AND c.department = @d")
                .WithParameter("@p", Partition)
                .WithParameter("@d", department);
        var open = await QueryAsync(query, cancellationToken);
        return
        [
            .. open.Where(h => h.Status == HandoffStatus.Waiting)
                .OrderByDescending(h => h.QueueRank).ThenBy(h => h.WaitingSince).ThenBy(h => h.Id, StringComparer.Ordinal),
            .. open.Where(h => h.Status == HandoffStatus.Active)
                .OrderBy(h => h.AcceptedAt).ThenBy(h => h.Id, StringComparer.Ordinal),
        ];
    }

    public async Task<IReadOnlyList<HandoffRequest>> ListWaitingSinceAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        var waiting = await QueryAsync(
            new QueryDefinition("SELECT c.handoff FROM c WHERE c.partitionKey = @p AND c.type = 'handoff' AND c.status = 'Waiting'")
                .WithParameter("@p", Partition),
            cancellationToken);
        return waiting.Where(h => h.WaitingSince <= cutoff).OrderBy(h => h.WaitingSince).ThenBy(h => h.Id, StringComparer.Ordinal).ToList();
    }

    public async Task<IReadOnlyList<HandoffRequest>> ListByConversationAsync(string conversationId, CancellationToken cancellationToken)
    {
        var handoffs = await QueryAsync(
            new QueryDefinition("SELECT c.handoff FROM c WHERE c.partitionKey = @p AND c.type = 'handoff' AND c.conversationId = @c")
                .WithParameter("@p", Partition)
                .WithParameter("@c", conversationId),
            cancellationToken);
        return handoffs.OrderByDescending(h => h.CreatedAt).ThenByDescending(h => h.Id, StringComparer.Ordinal).ToList();
    }

    public Task<HandoffChange> AcceptAsync(string id, string staffId, string staffName, DateTimeOffset at, CancellationToken cancellationToken) =>
        ChangeAsync(id, request => HandoffTransitions.Accept(request, staffId, staffName, at), cancellationToken);

    public Task<HandoffChange> EndAsync(string id, string outcome, DateTimeOffset at, CancellationToken cancellationToken) =>
        ChangeAsync(id, request => HandoffTransitions.End(request, outcome, at), cancellationToken);

    public Task<HandoffChange> TransferAsync(string id, string department, string? note, DateTimeOffset at, CancellationToken cancellationToken) =>
        ChangeAsync(id, request => HandoffTransitions.Requeue(request, department, note, at, escalate: false), cancellationToken);

    public Task<HandoffChange> EscalateAsync(string id, string supervisorDepartment, string? note, DateTimeOffset at, CancellationToken cancellationToken) =>
        ChangeAsync(id, request => HandoffTransitions.Requeue(request, supervisorDepartment, note, at, escalate: true), cancellationToken);

    public Task<HandoffChange> TimeOutAsync(string id, string followUpId, DateTimeOffset at, CancellationToken cancellationToken) =>
        ChangeAsync(id, request => HandoffTransitions.TimeOut(request, followUpId, at), cancellationToken);

    public Task<HandoffChange> MarkUrgentAsync(string id, string redFlag, CancellationToken cancellationToken) =>
        ChangeAsync(id, request => HandoffTransitions.MarkUrgent(request, redFlag), cancellationToken);

    public async Task<HandoffMessage> AppendMessageAsync(HandoffMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var partition = MessagesPartition(message.HandoffId);
        var sequence = await NextSequenceAsync(partition, cancellationToken);
        var stored = message with { Sequence = sequence };
        var document = new JsonObject
        {
            ["id"] = "m" + sequence.ToString("D10", CultureInfo.InvariantCulture),
            ["partitionKey"] = partition,
            ["type"] = "message",
            ["seq"] = sequence,
            ["message"] = JsonSerializer.SerializeToNode(stored, StoreJson.Options),
        };
        using var response = await _container.CreateItemStreamAsync(CosmosDocuments.ToStream(document), new PartitionKey(partition), cancellationToken: cancellationToken);
        response.EnsureSuccessStatusCode();
        return stored;
    }

    public async Task<IReadOnlyList<HandoffMessage>> GetMessagesAsync(string id, CancellationToken cancellationToken)
    {
        var partition = MessagesPartition(id);
        var documents = await CosmosDocuments.QueryAsync(
            _container,
            new QueryDefinition("SELECT c.message FROM c WHERE c.partitionKey = @p AND c.type = 'message'").WithParameter("@p", partition),
            partition,
            cancellationToken);
        return documents.Select(d => d["message"]?.Deserialize<HandoffMessage>(StoreJson.Options))
            .OfType<HandoffMessage>()
            .OrderBy(m => m.Sequence)
            .ToList();
    }

    public async Task<TimeSpan> EstimateWaitAsync(string department, int position, CancellationToken cancellationToken)
    {
        var documents = await CosmosDocuments.QueryAsync(
            _container,
            new QueryDefinition("SELECT c.acceptedUtc, c.acceptWaitMs FROM c WHERE c.partitionKey = @p AND c.type = 'handoff' AND c.department = @d AND c.hasWait = true")
                .WithParameter("@p", Partition)
                .WithParameter("@d", department),
            Partition,
            cancellationToken);
        var samples = documents
            .Select(d => (At: d["acceptedUtc"]?.GetValue<string>() ?? string.Empty, Wait: d["acceptWaitMs"]?.GetValue<long>() ?? 0))
            .OrderByDescending(s => s.At, StringComparer.Ordinal)
            .Take(_options.Value.WaitEstimateSampleSize)
            .Select(s => TimeSpan.FromMilliseconds(s.Wait))
            .ToList();
        return HandoffTransitions.Estimate(samples, position, _options.Value.DefaultMinutesPerChat);
    }

    private async Task<HandoffChange> ChangeAsync(string id, Func<HandoffRequest, string?> change, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var (request, etag) = await ReadAsync(id, cancellationToken);
            if (request is null)
            {
                return HandoffChange.NotFound;
            }

            if (change(request) is { } conflict)
            {
                return HandoffChange.Conflict(request, conflict);
            }

            using var response = await _container.ReplaceItemStreamAsync(
                CosmosDocuments.ToStream(Document(request)), CosmosKeys.ToId(id), new PartitionKey(Partition), new ItemRequestOptions { IfMatchEtag = etag }, cancellationToken);
            switch (response.StatusCode)
            {
                case HttpStatusCode.OK:
                    return HandoffChange.Changed(request);
                case HttpStatusCode.NotFound:
                    return HandoffChange.NotFound;
                case HttpStatusCode.PreconditionFailed:
                    continue; // another instance changed it first: re-read and decide again
                default:
                    response.EnsureSuccessStatusCode();
                    break;
            }
        }

        throw new InvalidOperationException($"Handoff {id} kept changing during {MaxAttempts} update attempts.");
    }

    private async Task<long> NextSequenceAsync(string partition, CancellationToken cancellationToken)
    {
        var key = new PartitionKey(partition);
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var (counter, etag) = await CosmosDocuments.ReadAsync(_container, CounterId, partition, cancellationToken);
            var next = (counter?["value"]?.GetValue<long>() ?? 0) + 1;
            var document = new JsonObject { ["id"] = CounterId, ["partitionKey"] = partition, ["type"] = "counter", ["value"] = next };
            using var response = counter is null
                ? await _container.CreateItemStreamAsync(CosmosDocuments.ToStream(document), key, cancellationToken: cancellationToken)
                : await _container.ReplaceItemStreamAsync(CosmosDocuments.ToStream(document), CounterId, key, new ItemRequestOptions { IfMatchEtag = etag }, cancellationToken);
            if (response.StatusCode is HttpStatusCode.Conflict or HttpStatusCode.PreconditionFailed)
            {
                continue;
            }

            response.EnsureSuccessStatusCode();
            return next;
        }

        throw new InvalidOperationException("The handoff transcript counter kept changing.");
    }

    private async Task<(HandoffRequest? Request, string? ETag)> ReadAsync(string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        var (document, etag) = await CosmosDocuments.ReadAsync(_container, CosmosKeys.ToId(id), Partition, cancellationToken);
        return (document?["handoff"]?.Deserialize<HandoffRequest>(StoreJson.Options), etag);
    }

    private async Task<List<HandoffRequest>> QueryAsync(QueryDefinition query, CancellationToken cancellationToken) =>
        (await CosmosDocuments.QueryAsync(_container, query, Partition, cancellationToken))
            .Select(d => d["handoff"]?.Deserialize<HandoffRequest>(StoreJson.Options))
            .OfType<HandoffRequest>()
            .ToList();

    private static string MessagesPartition(string handoffId) => "handoff:" + CosmosKeys.ToId(handoffId);

    private static JsonObject Document(HandoffRequest request)
    {
        var hasWait = request.AcceptedAt is not null && request.Reason != HandoffReason.StaffPulled;
        var document = new JsonObject
        {
            ["id"] = CosmosKeys.ToId(request.Id),
            ["partitionKey"] = Partition,
            ["type"] = "handoff",
            ["conversationId"] = request.ConversationId,
            ["department"] = request.Department,
            ["status"] = request.Status.ToString(),
            ["rank"] = request.QueueRank,
            ["queuedUtc"] = CosmosDocuments.Utc(request.WaitingSince),
            ["hasWait"] = hasWait,
            ["handoff"] = JsonSerializer.SerializeToNode(request, StoreJson.Options),
        };
        if (request.AcceptedAt is { } accepted)
        {
            document["acceptedUtc"] = CosmosDocuments.Utc(accepted);
            if (hasWait)
            {
                document["acceptWaitMs"] = (long)Math.Max(0, (accepted - request.WaitingSince).TotalMilliseconds);
            }
        }

        return document;
    }
}
