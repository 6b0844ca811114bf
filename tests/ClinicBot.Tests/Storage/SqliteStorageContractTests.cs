using ClinicBot.Bot.Storage.Sqlite;
using Microsoft.Bot.Builder;

namespace ClinicBot.Tests.Storage;

/// <summary>The IStorage contract against <see cref="SqliteStorage"/>, one temporary database file per class.</summary>
public sealed class SqliteStorageContractTests : StorageContractTests, IClassFixture<SqliteStorageContractTests.Fixture>
{
    private readonly Fixture _fixture;

    public SqliteStorageContractTests(Fixture fixture)
    {
        _fixture = fixture;
    }

    protected override IStorage Storage => _fixture.Storage;

    public sealed class Fixture : IDisposable
    {
        private readonly SqliteTestDatabase _files = new();

        public Fixture()
        {
            Storage = new SqliteStorage(_files.Open());
        }

        public SqliteStorage Storage { get; }

        public void Dispose() => _files.Dispose();
    }
}
