using System.Text.Json.Nodes;
using ClinicBot.Bot.Storage;
using ClinicBot.Bot.Storage.Cosmos;
using ClinicBot.Dialogs.FollowUps;
using Microsoft.Azure.Cosmos;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Schema;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using static ClinicBot.Tests.Storage.StorageContractTests;

namespace ClinicBot.Tests.Storage;

/// <summary>Behaviour specific to the Cosmos DB backend, against the local Cosmos DB-compatible server.</summary>
[Collection(CosmosServerCollection.Name)]
public sealed class CosmosStorageTests(CosmosServerFixture server)
{
    [Theory]
    [InlineData("emulator/conversations/abc|123")]
    [InlineData("a/b\\c?d#e*f%2Fg~h")]
    [InlineData("ünïcödé 🩺 and spaces ")]
    [InlineData("")]
    public void IdsAreSafeAndReversible(string key)
    {
        var id = CosmosKeys.ToId(key);

        Assert.DoesNotContain(id, c => c is '/' or '\\' or '?' or '#' or '%' or ' ');
        Assert.True(CosmosKeys.TryUnescape(id, out var back));
        Assert.Equal(key, back);
    }

    [Fact]
    public void LongKeysAreHashedToAtMost255CharactersWithoutCollisions()
    {
        var prefix = "webchat/conversations/" + new string('x', 400);
        var first = CosmosKeys.ToId(prefix + "1");
        var second = CosmosKeys.ToId(prefix + "2");

        Assert.Equal(CosmosKeys.MaxIdLength, first.Length);
        Assert.NotEqual(first, second);
        Assert.Contains('~', first);
        Assert.False(CosmosKeys.TryUnescape(first, out _));
        Assert.Equal(first, CosmosKeys.ToId(prefix + "1")); // deterministic
    }

    [Fact]
    public void AConversationsStateSharesOnePartition()
    {
        var conversation = CosmosKeys.PartitionOf("msteams/conversations/19:abc/def");
        var privateState = CosmosKeys.PartitionOf("msteams/conversations/19:abc/def/users/29:user");

        Assert.Equal(conversation, privateState);
        Assert.Equal(CosmosKeys.ToId("msteams/conversations/19:abc"), conversation);
        Assert.Equal(CosmosKeys.ToId("msteams/users/29:user"), CosmosKeys.PartitionOf("msteams/users/29:user"));
        Assert.Equal(CosmosKeys.ToId("some-other-key"), CosmosKeys.PartitionOf("some-other-key"));
    }

    [Fact]
    public async Task StoredDocumentsHaveTheDocumentedShape()
    {
        var containers = server.SharedContainers("storage-specific");
        var storage = new CosmosStorage(containers);
        var key = $"test/conversations/{Guid.NewGuid():N}/users/u1";
        await storage.WriteAsync(new Dictionary<string, object> { [key] = new PocoStoreItem { Id = "1", Count = 2, ETag = "*" } }, CancellationToken.None);

        var partition = CosmosKeys.PartitionOf(key);
        using var response = await containers.State.ReadItemStreamAsync(CosmosKeys.ToId(key), new PartitionKey(partition));
        var document = (await JsonNode.ParseAsync(response.Content))!.AsObject();

        Assert.Equal(CosmosKeys.ToId(key), (string?)document["id"]);
        Assert.Equal(partition, (string?)document["partitionKey"]);
        Assert.Equal(key, (string?)document["key"]);
        Assert.True((bool)document["storeItem"]!);
        var state = (string)document["document"]!;
        Assert.Contains("\"$type\"", state, StringComparison.Ordinal);
        Assert.DoesNotContain("ETag", state, StringComparison.OrdinalIgnoreCase);
        Assert.False(string.IsNullOrEmpty((string?)document["_etag"]));
    }

    [Fact]
    public async Task OfTwentyRacingReplacesExactlyOneWins()
    {
        var storage = new CosmosStorage(server.SharedContainers("storage-specific"));
        var key = $"race/{Guid.NewGuid():N}";
        await storage.WriteAsync(new Dictionary<string, object> { [key] = new PocoStoreItem { Count = -1 } }, CancellationToken.None);
        var etag = ((PocoStoreItem)(await storage.ReadAsync([key], CancellationToken.None))[key]).ETag;
        using var start = new ManualResetEventSlim();

        var writers = Enumerable.Range(0, 20).Select(i => Task.Run(async () =>
        {
            start.Wait();
            try
            {
                await storage.WriteAsync(new Dictionary<string, object> { [key] = new PocoStoreItem { Count = i, ETag = etag } }, CancellationToken.None);
                return (Writer: i, Error: (Exception?)null);
            }
            catch (Exception ex)
            {
                return (Writer: i, Error: ex);
            }
        })).ToList();
        start.Set();
        var outcomes = await Task.WhenAll(writers);

        var winner = Assert.Single(outcomes, o => o.Error is null);
        Assert.All(outcomes.Where(o => o.Error is not null), o => Assert.Contains("Etag conflict", Assert.IsType<ArgumentException>(o.Error).Message, StringComparison.Ordinal));
        Assert.Equal(winner.Writer, ((PocoStoreItem)(await storage.ReadAsync([key], CancellationToken.None))[key]).Count);
    }

    [Fact]
    public async Task TranscriptDocumentsCarryTheRetentionTtlAndReadBackInOrder()
    {
        var containers = server.SharedContainers("transcripts");
        var store = new CosmosTranscriptStore(containers, Options.Create(new TranscriptOptions { RetentionDays = 7 }));
        var conversation = $"conv-{Guid.NewGuid():N}";
        var at = new DateTimeOffset(2030, 1, 1, 10, 0, 0, TimeSpan.Zero);
        await store.LogActivityAsync(Message("m2", conversation, at.AddSeconds(2), "second"));
        await store.LogActivityAsync(Message("m1", conversation, at.AddSeconds(1), "first"));

        var activities = await store.GetTranscriptActivitiesAsync("test", conversation);
        var later = await store.GetTranscriptActivitiesAsync("test", conversation, startDate: at.AddSeconds(2));
        var listed = await store.ListTranscriptsAsync("test");

        Assert.Equal(["m1", "m2"], activities.Items.Select(a => a.Id));
        Assert.Equal("first", activities.Items[0].AsMessageActivity().Text);
        Assert.Equal(["m2"], later.Items.Select(a => a.Id));
        Assert.Contains(listed.Items, t => t.Id == conversation);

        // Every document expires after Transcripts:RetentionDays (the local server stores ttl but never expires).
        var query = new QueryDefinition("SELECT c.ttl FROM c WHERE c.partitionKey = @p").WithParameter("@p", CosmosKeys.ToId($"test/{conversation}"));
        using var iterator = containers.Transcripts.GetItemQueryStreamIterator(query);
        using var page = await iterator.ReadNextAsync();
        var documents = (await JsonNode.ParseAsync(page.Content))!["Documents"]!.AsArray();
        Assert.Equal(2, documents.Count);
        Assert.All(documents, d => Assert.Equal(7 * 86_400, (int)d!["ttl"]!));

        await store.DeleteTranscriptAsync("test", conversation);
        Assert.Empty((await store.GetTranscriptActivitiesAsync("test", conversation)).Items);
        Assert.DoesNotContain((await store.ListTranscriptsAsync("test")).Items, t => t.Id == conversation);
    }

    [Fact]
    public async Task CosmosProviderCreatesTheContainersAndIsHealthy()
    {
        var options = server.NewDatabaseOptions().Cosmos;
        using var host = BuildHost(new()
        {
            ["Storage:Provider"] = "Cosmos",
            ["Storage:Cosmos:AccountEndpoint"] = options.AccountEndpoint!.AbsoluteUri,
            ["Storage:Cosmos:Database"] = options.Database,
            ["Storage:Cosmos:Key"] = options.Key,
            ["Transcripts:RetentionDays"] = "14",
        }, services => services.AddSingleton(server.CreateClient()));

        await host.StartAsync();

        Assert.IsType<CosmosStorage>(host.Services.GetRequiredService<IStorage>());
        Assert.IsType<CosmosFollowUpQueue>(host.Services.GetRequiredService<IFollowUpQueue>());
        var client = host.Services.GetRequiredService<CosmosClient>();
        foreach (var container in new[] { "botstate", "followups", "transcripts" })
        {
            var properties = (await client.GetContainer(options.Database, container).ReadContainerAsync()).Resource;
            Assert.Equal(CosmosContainers.PartitionKeyPath, properties.PartitionKeyPath);
        }

        var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        Assert.Equal(HealthStatus.Healthy, report.Entries[StorageServiceCollectionExtensions.HealthCheckName].Status);
        await host.StopAsync();
    }

    [Fact]
    public async Task AMissingAccountEndpointFailsStartWithASentenceNamingIt()
    {
        using var host = BuildHost(new() { ["Storage:Provider"] = "Cosmos" });

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("Storage:Cosmos:AccountEndpoint is required when Storage:Provider is Cosmos", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DefaultsMatchTheDocumentedNames()
    {
        var options = new CosmosStorageOptions();

        Assert.Equal(("clinicbot", "botstate", "followups", "transcripts", true), (options.Database, options.StateContainer, options.FollowUpsContainer, options.TranscriptsContainer, options.CreateContainers));
        Assert.Null(options.Key);
        Assert.Equal(30, new TranscriptOptions().RetentionDays);
    }

    private static Activity Message(string id, string conversation, DateTimeOffset at, string text) => new()
    {
        Type = ActivityTypes.Message,
        Id = id,
        ChannelId = "test",
        Conversation = new ConversationAccount { Id = conversation },
        From = new ChannelAccount { Id = "user" },
        Recipient = new ChannelAccount { Id = "bot" },
        Timestamp = at,
        Text = text,
    };

    private static IHost BuildHost(Dictionary<string, string?> settings, Action<IServiceCollection>? configure = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        configure?.Invoke(builder.Services);
        builder.AddClinicBotStorage();
        return builder.Build();
    }
}
