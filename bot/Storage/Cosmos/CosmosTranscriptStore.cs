using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.Azure.Cosmos;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Schema;
using Microsoft.Extensions.Options;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace ClinicBot.Bot.Storage.Cosmos;

/// <summary>
/// Bot Framework <see cref="ITranscriptStore"/> in the Cosmos DB container <see cref="CosmosContainers.Transcripts"/>,
/// with retention: every document carries <c>ttl</c> = <c>Transcripts:RetentionDays</c> in seconds, so Cosmos DB
/// deletes it that long after its last write (the container is created with time to live on, default -1).
/// </summary>
/// <remarks>
/// <para>An activity is <c>{ id, partitionKey, type: "activity", channelId, conversationId, timestamp, activity, ttl }</c>
/// with partition <c>{channel}/{conversation}</c> (one conversation is one partition); <c>activity</c> is the
/// activity's Bot Framework JSON as a string. Each conversation also has a marker
/// <c>{ id, partitionKey: "channel:{channel}", type: "conversation", conversationId, created, ttl }</c>, rewritten with
/// every activity so it expires with the conversation's last activity, and listing a channel's transcripts is a
/// single-partition query.</para>
/// <para>Results come in one page (no continuation token): a clinic conversation is short. The local test server
/// does not expire documents; only a real account verifies expiry (see docs/production-storage.md).</para>
/// </remarks>
public sealed class CosmosTranscriptStore : ITranscriptStore
{
    private static readonly JsonSerializerSettings ActivitySettings = new() { NullValueHandling = NullValueHandling.Ignore };

    private readonly Container _container;
    private readonly TranscriptOptions _options;
    private readonly TimeProvider _timeProvider;

    /// <summary>Creates the store over the transcripts container.</summary>
    public CosmosTranscriptStore(CosmosContainers containers, IOptions<TranscriptOptions> options, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(containers);
        _container = containers.Transcripts;
        _options = options?.Value ?? new TranscriptOptions();
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <inheritdoc />
    public async Task LogActivityAsync(IActivity activity)
    {
        ArgumentNullException.ThrowIfNull(activity);
        var channelId = activity.ChannelId ?? throw new ArgumentException("The activity has no channel id.", nameof(activity));
        var conversationId = activity.Conversation?.Id ?? throw new ArgumentException("The activity has no conversation.", nameof(activity));
        var timestamp = activity.Timestamp ?? _timeProvider.GetUtcNow();
        var ttl = _options.RetentionSeconds;

        var document = new JObject
        {
            ["id"] = CosmosKeys.ToId($"{timestamp.UtcTicks:D19}-{activity.Id ?? Guid.NewGuid().ToString("N")}"),
            ["partitionKey"] = ConversationPartition(channelId, conversationId),
            ["type"] = "activity",
            ["channelId"] = channelId,
            ["conversationId"] = conversationId,
            ["timestamp"] = Iso(timestamp),
            ["activity"] = JsonConvert.SerializeObject(activity, ActivitySettings),
            ["ttl"] = ttl,
        };
        await UpsertAsync(document, ConversationPartition(channelId, conversationId));

        var marker = new JObject
        {
            ["id"] = CosmosKeys.ToId(conversationId),
            ["partitionKey"] = ChannelPartition(channelId),
            ["type"] = "conversation",
            ["channelId"] = channelId,
            ["conversationId"] = conversationId,
            ["lastActivity"] = Iso(timestamp),
            ["ttl"] = ttl,
        };
        await UpsertAsync(marker, ChannelPartition(channelId));
    }

    /// <inheritdoc />
    public async Task<PagedResult<IActivity>> GetTranscriptActivitiesAsync(string channelId, string conversationId, string? continuationToken = null, DateTimeOffset startDate = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(channelId);
        ArgumentException.ThrowIfNullOrEmpty(conversationId);
        var partition = ConversationPartition(channelId, conversationId);
        var query = new QueryDefinition(
                "SELECT c.timestamp, c.activity FROM c WHERE c.partitionKey = @partition AND c.type = 'activity' AND c.timestamp >= @start")
            .WithParameter("@partition", partition)
            .WithParameter("@start", Iso(startDate == default ? DateTimeOffset.MinValue : startDate));

        var activities = (await QueryAsync(query, partition))
            .OrderBy(d => d.Value<string>("timestamp"), StringComparer.Ordinal)
            .Select(d => (IActivity)JsonConvert.DeserializeObject<Activity>(d.Value<string>("activity")!, ActivitySettings)!)
            .ToArray();
        return new PagedResult<IActivity> { Items = activities };
    }

    /// <inheritdoc />
    public async Task<PagedResult<TranscriptInfo>> ListTranscriptsAsync(string channelId, string? continuationToken = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(channelId);
        var partition = ChannelPartition(channelId);
        var query = new QueryDefinition("SELECT c.conversationId, c.lastActivity FROM c WHERE c.partitionKey = @partition AND c.type = 'conversation'")
            .WithParameter("@partition", partition);
        var transcripts = (await QueryAsync(query, partition))
            .Select(d => new TranscriptInfo
            {
                ChannelId = channelId,
                Id = d.Value<string>("conversationId"),
                Created = DateTimeOffset.Parse(d.Value<string>("lastActivity")!, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
            })
            .OrderBy(t => t.Created)
            .ToArray();
        return new PagedResult<TranscriptInfo> { Items = transcripts };
    }

    /// <inheritdoc />
    public async Task DeleteTranscriptAsync(string channelId, string conversationId)
    {
        ArgumentException.ThrowIfNullOrEmpty(channelId);
        ArgumentException.ThrowIfNullOrEmpty(conversationId);
        var partition = ConversationPartition(channelId, conversationId);
        var query = new QueryDefinition("SELECT c.id FROM c WHERE c.partitionKey = @partition").WithParameter("@partition", partition);
        foreach (var document in await QueryAsync(query, partition))
        {
            await DeleteAsync(document.Value<string>("id")!, partition);
        }

        await DeleteAsync(CosmosKeys.ToId(conversationId), ChannelPartition(channelId));
    }

    private static string ConversationPartition(string channelId, string conversationId) => CosmosKeys.ToId($"{channelId}/{conversationId}");

    private static string ChannelPartition(string channelId) => CosmosKeys.ToId($"channel:{channelId}");

    private static string Iso(DateTimeOffset value) => value.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    private async Task UpsertAsync(JObject document, string partition)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(document.ToString(Formatting.None)));
        using var response = await _container.UpsertItemStreamAsync(stream, new PartitionKey(partition));
        response.EnsureSuccessStatusCode();
    }

    private async Task DeleteAsync(string id, string partition)
    {
        using var response = await _container.DeleteItemStreamAsync(id, new PartitionKey(partition));
        if (response.StatusCode != HttpStatusCode.NotFound)
        {
            response.EnsureSuccessStatusCode();
        }
    }

    private async Task<List<JObject>> QueryAsync(QueryDefinition query, string partition)
    {
        var results = new List<JObject>();
        using var iterator = _container.GetItemQueryStreamIterator(query, requestOptions: new QueryRequestOptions { PartitionKey = new PartitionKey(partition) });
        while (iterator.HasMoreResults)
        {
            using var page = await iterator.ReadNextAsync();
            page.EnsureSuccessStatusCode();
            using var reader = new JsonTextReader(new StreamReader(page.Content, Encoding.UTF8)) { DateParseHandling = DateParseHandling.None };
            var body = JObject.Load(reader);
            results.AddRange((body["Documents"] as JArray ?? []).OfType<JObject>());
        }

        return results;
    }
}
