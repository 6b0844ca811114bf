using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Azure.Cosmos;

namespace ClinicBot.Bot.Storage.Cosmos;

/// <summary>Stream-level helpers shared by the Cosmos DB stores (raw JSON documents, no SDK serializer).</summary>
internal static class CosmosDocuments
{
    /// <summary>Runs a single-partition query and returns its documents.</summary>
    public static async Task<List<JsonNode>> QueryAsync(Container container, QueryDefinition query, string partition, CancellationToken cancellationToken)
    {
        var results = new List<JsonNode>();
        using var iterator = container.GetItemQueryStreamIterator(query, requestOptions: new QueryRequestOptions { PartitionKey = new PartitionKey(partition) });
        while (iterator.HasMoreResults)
        {
            using var page = await iterator.ReadNextAsync(cancellationToken);
            page.EnsureSuccessStatusCode();
            var body = await JsonNode.ParseAsync(page.Content, cancellationToken: cancellationToken);
            foreach (var document in body?["Documents"]?.AsArray() ?? [])
            {
                if (document is not null)
                {
                    results.Add(document);
                }
            }
        }

        return results;
    }

    /// <summary>Point read: the document and its ETag, or (null, null) when it does not exist.</summary>
    public static async Task<(JsonNode? Document, string? ETag)> ReadAsync(Container container, string id, string partition, CancellationToken cancellationToken)
    {
        using var response = await container.ReadItemStreamAsync(id, new PartitionKey(partition), cancellationToken: cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return (null, null);
        }

        response.EnsureSuccessStatusCode();
        var document = await JsonNode.ParseAsync(response.Content, cancellationToken: cancellationToken);
        return (document, response.Headers.ETag ?? document?["_etag"]?.GetValue<string>());
    }

    public static MemoryStream ToStream(JsonObject document) => new(JsonSerializer.SerializeToUtf8Bytes(document, StoreJson.Options));

    public static string Utc(DateTimeOffset value) => value.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture);
}
