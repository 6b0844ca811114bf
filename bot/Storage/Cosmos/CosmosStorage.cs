using System.Globalization;
using System.Net;
using System.Text;
using ClinicBot.Dialogs.State;
using Microsoft.Azure.Cosmos;
using Microsoft.Bot.Builder;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace ClinicBot.Bot.Storage.Cosmos;

/// <summary>
/// Bot Framework <see cref="IStorage"/> in the Cosmos DB container <see cref="CosmosContainers.State"/>
/// (<c>Storage:Provider</c> = <c>Cosmos</c>).
/// </summary>
/// <remarks>
/// <para>One document per key: <c>{ id, partitionKey, key, storeItem, document, updatedUtc }</c>. <c>id</c> is
/// <see cref="CosmosKeys.ToId"/> of the key, <c>partitionKey</c> is <see cref="CosmosKeys.PartitionOf"/> (one
/// conversation's or one user's state is one logical partition), <c>key</c> is the original key and <c>document</c>
/// is the value in <see cref="StateJson"/> form, exactly as <see cref="Sqlite.SqliteStorage"/> keeps it, as a JSON string so numbers, date-like strings and type names round-trip
/// byte for byte.</para>
/// <para>ETags: the ETag handed out is the document's Cosmos DB <c>_etag</c>, which changes on every write. For
/// <see cref="IStoreItem"/> values, ETag <c>"*"</c> or <c>null</c> overwrites (upsert); any other ETag must match
/// (a replace with <c>IfMatchEtag</c>), or the key must be absent or hold a value written without ETag semantics,
/// otherwise the write throws <see cref="ArgumentException"/> "Etag conflict..." like MemoryStorage and
/// SqliteStorage. Other values are last-writer-wins.</para>
/// <para>Unlike SqliteStorage a multi-key write is not one transaction (keys may be in different partitions and
/// ClinicBot does not use TransactionalBatch): keys are written in order and a conflict stops the batch, keeping the
/// keys written before it, which is what MemoryStorage does.</para>
/// </remarks>
public sealed class CosmosStorage : IStorage, IStateDocumentStorage
{
    // An If-Match value no Cosmos DB ETag can equal: used for an empty ETag, which must conflict with an existing item.
    private const string NeverMatchingETag = "\"clinicbot-no-etag\"";

    private readonly Container _container;
    private readonly TimeProvider _timeProvider;

    /// <summary>Creates the storage over the bot state container.</summary>
    public CosmosStorage(CosmosContainers containers, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(containers);
        _container = containers.State;
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <inheritdoc />
    public async Task<IDictionary<string, object>> ReadAsync(string[] keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var items = new Dictionary<string, object>(keys.Length);
        foreach (var (key, envelope, etag) in await ReadEnvelopesAsync(keys, cancellationToken))
        {
            var value = StateJson.Deserialize(DocumentOf(envelope));
            if (value is IStoreItem storeItem && envelope.Value<bool>("storeItem"))
            {
                storeItem.ETag = etag;
            }

            items[key] = value;
        }

        return items;
    }

    /// <inheritdoc />
    public async Task WriteAsync(IDictionary<string, object> changes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(changes);

        // Serialise everything first: a serialisation error writes nothing.
        var rows = new List<(string Key, object? Value, string? Document)>(changes.Count);
        foreach (var (key, value) in changes)
        {
            ArgumentNullException.ThrowIfNull(key, nameof(changes));
            rows.Add((key, value, value is null ? null : Serialize(value)));
        }

        foreach (var (key, value, document) in rows)
        {
            if (value is null)
            {
                await DeleteOneAsync(key, cancellationToken); // MemoryStorage stores null, which then reads as "absent"
                continue;
            }

            var storeItem = value as IStoreItem;
            var body = Envelope(key, storeItem is not null, document!);
            var expected = storeItem?.ETag;
            if (storeItem is null || expected is null || expected == "*")
            {
                using var upsert = await _container.UpsertItemStreamAsync(ToStream(body), new PartitionKey(CosmosKeys.PartitionOf(key)), cancellationToken: cancellationToken);
                upsert.EnsureSuccessStatusCode();
                continue;
            }

            await WriteCheckedAsync(key, body, expected, cancellationToken);
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyDictionary<string, string>> ReadDocumentsAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        return (await ReadEnvelopesAsync(keys, cancellationToken)).ToDictionary(read => read.Key, read => DocumentOf(read.Envelope), StringComparer.Ordinal);
    }

    /// <inheritdoc />
    public async Task WriteDocumentsAsync(IReadOnlyDictionary<string, string> documents, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(documents);
        foreach (var (key, document) in documents)
        {
            using var upsert = await _container.UpsertItemStreamAsync(
                ToStream(Envelope(key, isStoreItem: false, document)), new PartitionKey(CosmosKeys.PartitionOf(key)), cancellationToken: cancellationToken);
            upsert.EnsureSuccessStatusCode();
        }
    }

    /// <inheritdoc />
    public async Task DeleteAsync(string[] keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        foreach (var key in keys)
        {
            ArgumentNullException.ThrowIfNull(key, nameof(keys));
            await DeleteOneAsync(key, cancellationToken);
        }
    }

    private async Task WriteCheckedAsync(string key, JObject body, string expected, CancellationToken cancellationToken)
    {
        var id = CosmosKeys.ToId(key);
        var partitionKey = new PartitionKey(CosmosKeys.PartitionOf(key));
        var ifMatch = expected.Length == 0 ? NeverMatchingETag : expected;

        using (var replace = await _container.ReplaceItemStreamAsync(ToStream(body), id, partitionKey, new ItemRequestOptions { IfMatchEtag = ifMatch }, cancellationToken))
        {
            switch (replace.StatusCode)
            {
                case HttpStatusCode.OK:
                    return;
                case HttpStatusCode.NotFound:
                    await CreateOrConflictAsync(body, partitionKey, expected, cancellationToken);
                    return;
                case HttpStatusCode.PreconditionFailed:
                    break;
                default:
                    replace.EnsureSuccessStatusCode();
                    return;
            }
        }

        // The ETag did not match. That is only allowed over a value written without ETag semantics.
        var (current, currentETag) = await ReadEnvelopeAsync(id, partitionKey, cancellationToken);
        if (current is null)
        {
            await CreateOrConflictAsync(body, partitionKey, expected, cancellationToken);
            return;
        }

        if (current.Value<bool>("storeItem"))
        {
            throw Conflict(expected, currentETag);
        }

        using var overwrite = await _container.ReplaceItemStreamAsync(ToStream(body), id, partitionKey, new ItemRequestOptions { IfMatchEtag = currentETag }, cancellationToken);
        if (overwrite.StatusCode is HttpStatusCode.PreconditionFailed or HttpStatusCode.NotFound)
        {
            throw Conflict(expected, null); // changed again under us: let the caller reload
        }

        overwrite.EnsureSuccessStatusCode();
    }

    private async Task CreateOrConflictAsync(JObject body, PartitionKey partitionKey, string expected, CancellationToken cancellationToken)
    {
        using var create = await _container.CreateItemStreamAsync(ToStream(body), partitionKey, cancellationToken: cancellationToken);
        if (create.StatusCode == HttpStatusCode.Conflict)
        {
            throw Conflict(expected, null); // created concurrently by another writer
        }

        create.EnsureSuccessStatusCode();
    }

    // The keys that exist, read in parallel (each is its own partition).
    private async Task<List<(string Key, JObject Envelope, string? ETag)>> ReadEnvelopesAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        foreach (var key in keys)
        {
            ArgumentNullException.ThrowIfNull(key, nameof(keys));
        }

        var reads = keys.Distinct(StringComparer.Ordinal).Select(async key =>
        {
            var (envelope, etag) = await ReadEnvelopeAsync(CosmosKeys.ToId(key), new PartitionKey(CosmosKeys.PartitionOf(key)), cancellationToken);
            return (Key: key, Envelope: envelope, ETag: etag);
        });
        return [.. from read in await Task.WhenAll(reads)
                   where read.Envelope is not null && read.Envelope.Value<string>("key") == read.Key
                   select (read.Key, read.Envelope!, read.ETag)];
    }

    private static string DocumentOf(JObject envelope) =>
        envelope.Value<string>("document") ?? throw new InvalidDataException("A bot state document has no 'document' field.");

    private async Task<(JObject? Envelope, string? ETag)> ReadEnvelopeAsync(string id, PartitionKey partitionKey, CancellationToken cancellationToken)
    {
        using var response = await _container.ReadItemStreamAsync(id, partitionKey, cancellationToken: cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return (null, null);
        }

        response.EnsureSuccessStatusCode();
        using var reader = new JsonTextReader(new StreamReader(response.Content, Encoding.UTF8)) { DateParseHandling = DateParseHandling.None };
        var envelope = JObject.Load(reader);
        return (envelope, response.Headers.ETag ?? envelope.Value<string>("_etag"));
    }

    private async Task DeleteOneAsync(string key, CancellationToken cancellationToken)
    {
        using var response = await _container.DeleteItemStreamAsync(CosmosKeys.ToId(key), new PartitionKey(CosmosKeys.PartitionOf(key)), cancellationToken: cancellationToken);
        if (response.StatusCode != HttpStatusCode.NotFound)
        {
            response.EnsureSuccessStatusCode();
        }
    }

    private JObject Envelope(string key, bool isStoreItem, string document) => new()
    {
        ["id"] = CosmosKeys.ToId(key),
        ["partitionKey"] = CosmosKeys.PartitionOf(key),
        ["key"] = key,
        ["storeItem"] = isStoreItem,
        ["document"] = document,
        ["updatedUtc"] = _timeProvider.GetUtcNow().UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
    };

    private static string Serialize(object value)
    {
        if (value is not IStoreItem)
        {
            return StateJson.Serialize(value);
        }

        // The ETag lives in the Cosmos document's _etag and is set on read.
        var document = StateJson.ToJObject(value);
        foreach (var property in document.Properties().Where(p => string.Equals(p.Name, "ETag", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            property.Remove();
        }

        return document.ToString(Formatting.None);
    }

    private static MemoryStream ToStream(JObject body) => new(Encoding.UTF8.GetBytes(body.ToString(Formatting.None)));

    private static ArgumentException Conflict(string expected, string? current) =>
        new($"Etag conflict.\r\n\r\nOriginal: {expected}\r\nCurrent: {current}");
}
