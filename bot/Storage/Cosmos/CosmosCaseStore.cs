using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using ClinicBot.Dialogs.Cases;
using Microsoft.Azure.Cosmos;

namespace ClinicBot.Bot.Storage.Cosmos;

/// <summary>
/// Complaint cases in the Cosmos DB container <see cref="CosmosContainers.Cases"/>.
/// </summary>
/// <remarks>
/// <para>Cases: <c>{ id, partitionKey: "cases", type: "case", reference, status, createdUtc, complaint }</c>, one logical
/// partition (a clinic's cases are few; staff list them by status). References are unique through a reservation
/// document <c>{ id: "ref:C-12345", type: "reference", caseId }</c> created first in the same partition: a create
/// that answers 409 means the reference is taken, and another is drawn. (Unique key policies are not used: the
/// local test server does not enforce them.) Looking a case up by reference is two point reads.</para>
/// <para>An update replaces the case with <c>IfMatchEtag</c> and keeps the stored reference (it never changes once
/// given to a patient); a lost race is retried, so the last writer wins as on SQLite.</para>
/// </remarks>
public sealed class CosmosCaseStore : ICaseStore
{
    /// <summary>The partition key value of every case document.</summary>
    public const string Partition = "cases";

    private const int MaxAttempts = 20;
    private static readonly PartitionKey PartitionKeyValue = new(Partition);
    private readonly Container _container;
    private readonly TimeProvider _time;

    public CosmosCaseStore(CosmosContainers containers, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(containers);
        _container = containers.Cases;
        _time = time ?? throw new ArgumentNullException(nameof(time));
    }

    public async Task<ComplaintCase> CreateAsync(ComplaintCase complaint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(complaint);
        if (string.IsNullOrEmpty(complaint.Id))
        {
            complaint.Id = Guid.NewGuid().ToString("N");
        }

        if (complaint.CreatedAt == default)
        {
            complaint.CreatedAt = _time.GetUtcNow();
        }

        if ((await CosmosDocuments.ReadAsync(_container, CosmosKeys.ToId(complaint.Id), Partition, cancellationToken)).Document is not null)
        {
            throw new InvalidOperationException($"Case {complaint.Id} already exists.");
        }

        for (var attempt = 1; ; attempt++)
        {
            complaint.Reference = CaseReferences.New();
            var reservation = new JsonObject
            {
                ["id"] = ReferenceId(complaint.Reference),
                ["partitionKey"] = Partition,
                ["type"] = "reference",
                ["caseId"] = complaint.Id,
            };
            using var reserved = await _container.CreateItemStreamAsync(CosmosDocuments.ToStream(reservation), PartitionKeyValue, cancellationToken: cancellationToken);
            if (reserved.StatusCode == HttpStatusCode.Conflict && attempt < MaxAttempts)
            {
                continue; // another case has this reference: draw again
            }

            reserved.EnsureSuccessStatusCode();
            break;
        }

        using var response = await _container.CreateItemStreamAsync(CosmosDocuments.ToStream(Document(complaint)), PartitionKeyValue, cancellationToken: cancellationToken);
        if (response.StatusCode == HttpStatusCode.Conflict)
        {
            throw new InvalidOperationException($"Case {complaint.Id} already exists.");
        }

        response.EnsureSuccessStatusCode();
        return complaint;
    }

    public async Task<ComplaintCase?> GetAsync(string idOrReference, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(idOrReference))
        {
            return null;
        }

        var (byId, _) = await ReadCaseAsync(idOrReference, cancellationToken);
        if (byId is not null)
        {
            return byId;
        }

        var reference = CaseReferences.Normalize(idOrReference);
        if (reference is null)
        {
            return null;
        }

        var (reservation, _) = await CosmosDocuments.ReadAsync(_container, ReferenceId(reference), Partition, cancellationToken);
        return reservation?["caseId"]?.GetValue<string>() is { } caseId ? (await ReadCaseAsync(caseId, cancellationToken)).Case : null;
    }

    public async Task<IReadOnlyList<ComplaintCase>> ListAsync(CaseStatus? status, CancellationToken cancellationToken)
    {
        var query = status is null
            ? new QueryDefinition("SELECT c.complaint FROM c WHERE c.partitionKey = @p AND c.type = 'case'").WithParameter("@p", Partition)
            : new QueryDefinition("SELECT c.complaint FROM c WHERE c.partitionKey = @p AND c.type = 'case' AND c.status = @s")
                .WithParameter("@p", Partition)
                .WithParameter("@s", status.Value.ToString());
        var documents = await CosmosDocuments.QueryAsync(_container, query, Partition, cancellationToken);
        return documents.Select(d => d["complaint"]?.Deserialize<ComplaintCase>(StoreJson.Options))
            .OfType<ComplaintCase>()
            .OrderBy(c => c.CreatedAt).ThenBy(c => c.Id, StringComparer.Ordinal)
            .ToList();
    }

    public async Task<bool> UpdateAsync(ComplaintCase complaint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(complaint);
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var (stored, etag) = await ReadCaseAsync(complaint.Id, cancellationToken);
            if (stored is null)
            {
                return false;
            }

            // The reference never changes once given to a patient.
            var document = Document(complaint);
            document["reference"] = stored.Reference;
            document["complaint"]!["reference"] = stored.Reference;
            using var response = await _container.ReplaceItemStreamAsync(
                CosmosDocuments.ToStream(document), CosmosKeys.ToId(complaint.Id), PartitionKeyValue, new ItemRequestOptions { IfMatchEtag = etag }, cancellationToken);
            switch (response.StatusCode)
            {
                case HttpStatusCode.OK:
                    return true;
                case HttpStatusCode.NotFound:
                    return false;
                case HttpStatusCode.PreconditionFailed:
                    continue;
                default:
                    response.EnsureSuccessStatusCode();
                    return false;
            }
        }

        throw new InvalidOperationException($"Case {complaint.Id} kept changing during {MaxAttempts} update attempts.");
    }

    private async Task<(ComplaintCase? Case, string? ETag)> ReadCaseAsync(string id, CancellationToken cancellationToken)
    {
        var (document, etag) = await CosmosDocuments.ReadAsync(_container, CosmosKeys.ToId(id), Partition, cancellationToken);
        return document?["type"]?.GetValue<string>() == "case"
            ? (document["complaint"]?.Deserialize<ComplaintCase>(StoreJson.Options), etag)
            : (null, null);
    }

    // "ref:" cannot collide with a case id: ':' is escaped in ids (CosmosKeys.ToId).
    private static string ReferenceId(string reference) => "ref:" + reference;

    private static JsonObject Document(ComplaintCase complaint) => new()
    {
        ["id"] = CosmosKeys.ToId(complaint.Id),
        ["partitionKey"] = Partition,
        ["type"] = "case",
        ["reference"] = complaint.Reference,
        ["status"] = complaint.Status.ToString(),
        ["createdUtc"] = CosmosDocuments.Utc(complaint.CreatedAt),
        ["complaint"] = JsonSerializer.SerializeToNode(complaint, StoreJson.Options),
    };
}
