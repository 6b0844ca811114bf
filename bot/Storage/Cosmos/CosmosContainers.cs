using System.Net;
using Azure.Identity;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ClinicBot.Bot.Storage.Cosmos;

/// <summary>
/// The Cosmos DB database and containers ClinicBot uses (names from <see cref="CosmosStorageOptions"/>), and their
/// creation at start. Every container is partitioned on <see cref="PartitionKeyPath"/>.
/// </summary>
public sealed class CosmosContainers : IDisposable
{
    /// <summary>The partition key path of every ClinicBot container.</summary>
    public const string PartitionKeyPath = "/partitionKey";

    private readonly CosmosClient _client;
    private readonly CosmosStorageOptions _options;
    private readonly ILogger<CosmosContainers> _logger;
    private readonly SemaphoreSlim _initializationLock = new(1, 1);
    private volatile bool _initialized;

    /// <summary>Creates the accessor; nothing is sent to Cosmos DB until first use.</summary>
    public CosmosContainers(CosmosClient client, IOptions<StorageOptions> options, ILogger<CosmosContainers>? logger = null)
    {
        _client = client ?? throw new ArgumentNullException(nameof(client));
        _options = options?.Value.Cosmos ?? throw new ArgumentException("Storage:Cosmos options are missing.", nameof(options));
        _logger = logger ?? NullLogger<CosmosContainers>.Instance;
        State = client.GetContainer(_options.Database, _options.StateContainer);
        FollowUps = client.GetContainer(_options.Database, _options.FollowUpsContainer);
        Transcripts = client.GetContainer(_options.Database, _options.TranscriptsContainer);
        Handoffs = client.GetContainer(_options.Database, _options.HandoffsContainer);
        Cases = client.GetContainer(_options.Database, _options.CasesContainer);
    }

    /// <summary>Bot state (<see cref="CosmosStorage"/>).</summary>
    public Container State { get; }

    /// <summary>Follow-up questions (<see cref="CosmosFollowUpQueue"/>).</summary>
    public Container FollowUps { get; }

    /// <summary>Transcripts (<see cref="CosmosTranscriptStore"/>), with per-document time to live.</summary>
    public Container Transcripts { get; }

    /// <summary>The handoff queue (<see cref="CosmosHandoffQueue"/>).</summary>
    public Container Handoffs { get; }

    /// <summary>Complaint cases (<see cref="CosmosCaseStore"/>).</summary>
    public Container Cases { get; }

    /// <summary>
    /// Builds the client for <paramref name="options"/>: account key when <see cref="CosmosStorageOptions.Key"/> is set,
    /// otherwise Microsoft Entra ID through <see cref="DefaultAzureCredential"/> (managed identity in Azure).
    /// <paramref name="configure"/> may adjust the client options (tests use it to trust the local server's certificate).
    /// </summary>
    public static CosmosClient CreateClient(CosmosStorageOptions options, Action<CosmosClientOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var endpoint = options.AccountEndpoint
            ?? throw new InvalidOperationException("Storage:Cosmos:AccountEndpoint is required when Storage:Provider is Cosmos.");
        var clientOptions = new CosmosClientOptions
        {
            ApplicationName = "ClinicBot",
            // Our documents are written and read as streams with our own serializers; the SDK serializer only sees
            // container definitions.
            EnableContentResponseOnWrite = false,
        };
        configure?.Invoke(clientOptions);
        return string.IsNullOrWhiteSpace(options.Key)
            ? new CosmosClient(endpoint.AbsoluteUri, new DefaultAzureCredential(), clientOptions)
            : new CosmosClient(endpoint.AbsoluteUri, options.Key, clientOptions);
    }

    /// <summary>
    /// Creates the database and containers when <see cref="CosmosStorageOptions.CreateContainers"/> is true and they
    /// are missing. Idempotent; called at host start by <see cref="CosmosStorageInitializer"/>.
    /// </summary>
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        if (_initialized || !_options.CreateContainers)
        {
            return;
        }

        await _initializationLock.WaitAsync(cancellationToken);
        try
        {
            if (_initialized)
            {
                return;
            }

            var database = (await _client.CreateDatabaseIfNotExistsAsync(_options.Database, cancellationToken: cancellationToken)).Database;
            await CreateAsync(database, StateProperties(_options.StateContainer), cancellationToken);
            await CreateAsync(database, new ContainerProperties(_options.FollowUpsContainer, PartitionKeyPath), cancellationToken);
            await CreateAsync(database, new ContainerProperties(_options.TranscriptsContainer, PartitionKeyPath)
            {
                // -1: time to live is on, and each document sets its own ttl (Transcripts:RetentionDays).
                DefaultTimeToLive = -1,
            }, cancellationToken);
            await CreateAsync(database, new ContainerProperties(_options.HandoffsContainer, PartitionKeyPath), cancellationToken);
            await CreateAsync(database, new ContainerProperties(_options.CasesContainer, PartitionKeyPath), cancellationToken);
            _initialized = true;
        }
        finally
        {
            _initializationLock.Release();
        }
    }

    /// <summary>Releases the initialisation lock (the <see cref="CosmosClient"/> is owned by the container).</summary>
    public void Dispose() => _initializationLock.Dispose();

    /// <summary>For health checks: true when the database answers.</summary>
    public async Task<bool> IsReachableAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var response = await _client.GetDatabase(_options.Database).ReadStreamAsync(cancellationToken: cancellationToken);
            return response.IsSuccessStatusCode;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            _logger.LogWarning("Cosmos DB database {Database} is not reachable ({Error})", _options.Database, ex.GetType().Name);
            return false;
        }
    }

    private static ContainerProperties StateProperties(string name)
    {
        var properties = new ContainerProperties(name, PartitionKeyPath);

        // The state document is an opaque JSON string: index nothing but the key fields.
        properties.IndexingPolicy.IncludedPaths.Clear();
        properties.IndexingPolicy.IncludedPaths.Add(new IncludedPath { Path = "/partitionKey/?" });
        properties.IndexingPolicy.IncludedPaths.Add(new IncludedPath { Path = "/key/?" });
        properties.IndexingPolicy.ExcludedPaths.Add(new ExcludedPath { Path = "/*" });
        return properties;
    }

    private async Task CreateAsync(Database database, ContainerProperties properties, CancellationToken cancellationToken)
    {
        var response = await database.CreateContainerIfNotExistsAsync(properties, cancellationToken: cancellationToken);
        if (response.StatusCode == HttpStatusCode.Created)
        {
            _logger.LogInformation("Created Cosmos DB container {Container} (partition key {PartitionKeyPath})", properties.Id, PartitionKeyPath);
        }
    }
}

/// <summary>Creates the Cosmos DB containers at host start when <c>Storage:Provider</c> is <c>Cosmos</c>.</summary>
public sealed class CosmosStorageInitializer(IOptions<StorageOptions> options, IServiceProvider services) : Microsoft.Extensions.Hosting.IHostedService
{
    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken) =>
        options.Value.Provider == StorageProvider.Cosmos
            ? ((CosmosContainers)services.GetService(typeof(CosmosContainers))!).InitializeAsync(cancellationToken)
            : Task.CompletedTask;

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
