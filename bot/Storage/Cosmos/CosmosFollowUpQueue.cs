using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using ClinicBot.Dialogs.FollowUps;
using Microsoft.Azure.Cosmos;

namespace ClinicBot.Bot.Storage.Cosmos;

/// <summary>
/// Follow-up questions in the Cosmos DB container <see cref="CosmosContainers.FollowUps"/>.
/// </summary>
/// <remarks>
/// <para>Document: <c>{ id, partitionKey, status, askedAt, followUp }</c> where <c>followUp</c> is the record in
/// <see cref="StoreJson"/> form and <c>status</c>/<c>askedAt</c> are copied out for queries. All follow-ups share one
/// logical partition (<see cref="Partition"/>): a clinic's queue is small (far below a partition's 20 GB), and staff
/// list it by status, which is then a single-partition query. Listing sorts in memory (by asked time, then id), so
/// no composite index is needed.</para>
/// <para>Updates are optimistic: read, change, replace with <c>IfMatchEtag</c>, retry on a lost race. So
/// <see cref="RecordAnswerAsync"/> is first-writer-wins: of two staff answering at once, the second replace fails its
/// ETag check, re-reads, sees the follow-up is no longer open and returns false.</para>
/// </remarks>
public sealed class CosmosFollowUpQueue : IFollowUpQueue
{
    /// <summary>The partition key value of every follow-up document.</summary>
    public const string Partition = "followups";

    private const int MaxAttempts = 10;
    private static readonly PartitionKey PartitionKeyValue = new(Partition);

    private readonly Container _container;

    /// <summary>Creates the queue over the follow-ups container.</summary>
    public CosmosFollowUpQueue(CosmosContainers containers)
    {
        ArgumentNullException.ThrowIfNull(containers);
        _container = containers.FollowUps;
    }

    /// <inheritdoc />
    public async Task AddAsync(FollowUp followUp, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(followUp);
        using var response = await _container.CreateItemStreamAsync(ToStream(followUp), PartitionKeyValue, cancellationToken: cancellationToken);
        if (response.StatusCode == HttpStatusCode.Conflict)
        {
            throw new InvalidOperationException($"Follow-up {followUp.Id} already exists.");
        }

        response.EnsureSuccessStatusCode();
    }

    /// <inheritdoc />
    public async Task<FollowUp?> GetAsync(string id, CancellationToken cancellationToken) =>
        (await ReadAsync(id, cancellationToken)).FollowUp;

    /// <inheritdoc />
    public async Task<IReadOnlyList<FollowUp>> ListAsync(FollowUpStatus? status, CancellationToken cancellationToken)
    {
        // The partition key stays in the WHERE clause (as well as in the request options).
        var query = status is null
            ? new QueryDefinition("SELECT c.followUp FROM c WHERE c.partitionKey = @partition")
                .WithParameter("@partition", Partition)
            : new QueryDefinition("SELECT c.followUp FROM c WHERE c.partitionKey = @partition AND c.status = @status")
                .WithParameter("@partition", Partition)
                .WithParameter("@status", status.Value.ToString());

        var results = new List<FollowUp>();
        using var iterator = _container.GetItemQueryStreamIterator(query, requestOptions: new QueryRequestOptions { PartitionKey = PartitionKeyValue });
        while (iterator.HasMoreResults)
        {
            using var page = await iterator.ReadNextAsync(cancellationToken);
            page.EnsureSuccessStatusCode();
            var body = await JsonNode.ParseAsync(page.Content, cancellationToken: cancellationToken);
            foreach (var document in body?["Documents"]?.AsArray() ?? [])
            {
                var followUp = document?["followUp"]?.Deserialize<FollowUp>(StoreJson.Options);
                if (followUp is not null)
                {
                    results.Add(followUp);
                }
            }
        }

        return results.OrderBy(f => f.AskedAt).ThenBy(f => f.Id, StringComparer.Ordinal).ToList();
    }

    /// <inheritdoc />
    public Task SetContactAsync(string id, string? email, string? phone, CancellationToken cancellationToken) =>
        UpdateAsync(id, requireOpen: false, f => f.UpdateContact(email, phone), cancellationToken);

    /// <inheritdoc />
    public Task<bool> RecordAnswerAsync(string id, string answer, string answeredBy, FollowUpStatus status, DateTimeOffset answeredAt, CancellationToken cancellationToken) =>
        UpdateAsync(id, requireOpen: true, f => f.RecordAnswer(answer, answeredBy, status, answeredAt), cancellationToken);

    /// <inheritdoc />
    public Task MarkNeedsCallbackAsync(string id, CancellationToken cancellationToken) =>
        UpdateAsync(id, requireOpen: false, f => f.Status = FollowUpStatus.NeedsCallback, cancellationToken);

    private async Task<bool> UpdateAsync(string id, bool requireOpen, Action<FollowUp> change, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var (followUp, etag) = await ReadAsync(id, cancellationToken);
            if (followUp is null || (requireOpen && followUp.Status != FollowUpStatus.Open))
            {
                return false;
            }

            change(followUp);
            using var response = await _container.ReplaceItemStreamAsync(
                ToStream(followUp), CosmosKeys.ToId(id), PartitionKeyValue, new ItemRequestOptions { IfMatchEtag = etag }, cancellationToken);
            switch (response.StatusCode)
            {
                case HttpStatusCode.OK:
                    return true;
                case HttpStatusCode.NotFound:
                    return false;
                case HttpStatusCode.PreconditionFailed:
                    continue; // someone else wrote it first: re-read and decide again
                default:
                    response.EnsureSuccessStatusCode();
                    return false;
            }
        }

        throw new InvalidOperationException($"Follow-up {id} kept changing during {MaxAttempts} update attempts.");
    }

    private async Task<(FollowUp? FollowUp, string? ETag)> ReadAsync(string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        using var response = await _container.ReadItemStreamAsync(CosmosKeys.ToId(id), PartitionKeyValue, cancellationToken: cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return (null, null);
        }

        response.EnsureSuccessStatusCode();
        var document = await JsonNode.ParseAsync(response.Content, cancellationToken: cancellationToken);
        return (document?["followUp"]?.Deserialize<FollowUp>(StoreJson.Options), response.Headers.ETag ?? document?["_etag"]?.GetValue<string>());
    }

    private static MemoryStream ToStream(FollowUp followUp)
    {
        var document = new JsonObject
        {
            ["id"] = CosmosKeys.ToId(followUp.Id),
            ["partitionKey"] = Partition,
            ["status"] = followUp.Status.ToString(),
            ["askedAt"] = followUp.AskedAt.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            ["followUp"] = JsonSerializer.SerializeToNode(followUp, StoreJson.Options),
        };
        return new MemoryStream(JsonSerializer.SerializeToUtf8Bytes(document, StoreJson.Options));
    }
}
