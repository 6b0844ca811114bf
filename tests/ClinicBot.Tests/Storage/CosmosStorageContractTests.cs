using ClinicBot.Bot.Storage.Cosmos;
using Microsoft.Bot.Builder;

namespace ClinicBot.Tests.Storage;

/// <summary>The IStorage contract against <see cref="CosmosStorage"/> on the local Cosmos DB-compatible server.</summary>
[Collection(CosmosServerCollection.Name)]
public sealed class CosmosStorageContractTests(CosmosServerFixture server) : StorageContractTests
{
    // One database for the whole class; every test uses its own keys.
    protected override IStorage Storage => new CosmosStorage(server.SharedContainers("storage-contract"));
}
