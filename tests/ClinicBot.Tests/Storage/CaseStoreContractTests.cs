using ClinicBot.Bot.Storage.Cosmos;
using ClinicBot.Bot.Storage.Memory;
using ClinicBot.Bot.Storage.Sqlite;
using ClinicBot.Dialogs.Cases;
using Microsoft.Extensions.Time.Testing;

namespace ClinicBot.Tests.Storage;

/// <summary>What every <see cref="ICaseStore"/> must do; run against memory, SQLite and Cosmos DB (local server).</summary>
public abstract class CaseStoreContractTests
{
    protected static readonly DateTimeOffset T0 = new(2026, 11, 30, 15, 0, 0, TimeSpan.Zero);

    protected FakeTimeProvider Clock { get; } = new(T0);

    protected abstract ICaseStore Store { get; }

    protected static ComplaintCase Case(string summary, CaseStatus status = CaseStatus.Open, DateTimeOffset? at = null) => new()
    {
        Source = CaseSource.Chat,
        PatientName = "Dana",
        PatientUserId = "patient-1",
        Summary = summary,
        OriginalText = "the front desk was rude <b>twice</b>",
        Severity = CaseSeverity.High,
        Status = status,
        CreatedAt = at ?? default,
    };

    [Fact]
    public async Task CreateAssignsIdReferenceAndTimeAndReadsBackEveryField()
    {
        var complaint = Case("rude front desk");
        complaint.StaffNotes.Add(new CaseNote(T0, "maria", "called back"));
        var created = await Store.CreateAsync(complaint, default);

        Assert.Same(complaint, created);
        Assert.False(string.IsNullOrEmpty(created.Id));
        Assert.NotNull(CaseReferences.Normalize(created.Reference));
        Assert.Equal(T0, created.CreatedAt);

        var stored = await Store.GetAsync(created.Id, default);
        Assert.NotNull(stored);
        Assert.Equal(created.Reference, stored.Reference);
        Assert.Equal("the front desk was rude <b>twice</b>", stored.OriginalText);
        Assert.Equal(CaseSeverity.High, stored.Severity);
        Assert.Equal("called back", Assert.Single(stored.StaffNotes).Text);
    }

    [Fact]
    public async Task GetFindsACaseByItsReferenceWrittenAnyWay()
    {
        var created = await Store.CreateAsync(Case("billing error"), default);
        var digits = created.Reference[2..];

        Assert.Equal(created.Id, (await Store.GetAsync(created.Reference, default))?.Id);
        Assert.Equal(created.Id, (await Store.GetAsync(" c-" + digits + " ", default))?.Id);
        Assert.Equal(created.Id, (await Store.GetAsync("C" + digits, default))?.Id);
        Assert.Null(await Store.GetAsync("C-00000", default));
        Assert.Null(await Store.GetAsync("no-such-case", default));
    }

    [Fact]
    public async Task ReferencesAreUnique()
    {
        var created = await Task.WhenAll(Enumerable.Range(0, 30).Select(i => Store.CreateAsync(Case($"case {i}"), default)));
        Assert.Equal(30, created.Select(c => c.Reference).Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public async Task ListIsOldestFirstAndFiltersByStatus()
    {
        var newer = await Store.CreateAsync(Case("newer", at: T0.AddMinutes(5)), default);
        var older = await Store.CreateAsync(Case("older", at: T0), default);
        var closed = await Store.CreateAsync(Case("closed", CaseStatus.Closed, T0.AddMinutes(1)), default);

        Assert.Equal([older.Id, closed.Id, newer.Id], (await Store.ListAsync(null, default)).Select(c => c.Id));
        Assert.Equal([older.Id, newer.Id], (await Store.ListAsync(CaseStatus.Open, default)).Select(c => c.Id));
        Assert.Equal([closed.Id], (await Store.ListAsync(CaseStatus.Closed, default)).Select(c => c.Id));
    }

    [Fact]
    public async Task UpdateReplacesTheCaseButNeverItsReference()
    {
        var created = await Store.CreateAsync(Case("waited an hour"), default);
        var reference = created.Reference;
        var changed = (await Store.GetAsync(created.Id, default))!;
        changed.Status = CaseStatus.Resolved;
        changed.ApprovedRemedy = "free consultation";
        changed.Reference = "C-99999";

        Assert.True(await Store.UpdateAsync(changed, default));
        var stored = (await Store.GetAsync(created.Id, default))!;
        Assert.Equal(CaseStatus.Resolved, stored.Status);
        Assert.Equal("free consultation", stored.ApprovedRemedy);
        Assert.Equal(reference, stored.Reference);
        Assert.Equal([created.Id], (await Store.ListAsync(CaseStatus.Resolved, default)).Select(c => c.Id));
        Assert.Empty(await Store.ListAsync(CaseStatus.Open, default));
        Assert.False(await Store.UpdateAsync(new ComplaintCase { Id = "missing" }, default));
    }
}

public sealed class InMemoryCaseStoreContractTests : CaseStoreContractTests
{
    public InMemoryCaseStoreContractTests()
    {
        Store = new InMemoryCaseStore(Clock);
    }

    protected override ICaseStore Store { get; }
}

public sealed class SqliteCaseStoreContractTests : CaseStoreContractTests, IDisposable
{
    private readonly SqliteTestDatabase _files = new();

    public SqliteCaseStoreContractTests()
    {
        Store = new SqliteCaseStore(_files.Open(SqliteCaseStore.Schema), Clock);
    }

    protected override ICaseStore Store { get; }

    public void Dispose() => _files.Dispose();
}

[Collection(CosmosServerCollection.Name)]
public sealed class CosmosCaseStoreContractTests : CaseStoreContractTests
{
    public CosmosCaseStoreContractTests(CosmosServerFixture server)
    {
        ArgumentNullException.ThrowIfNull(server);
        Store = new CosmosCaseStore(server.CreateContainers(), Clock);
    }

    protected override ICaseStore Store { get; }
}
