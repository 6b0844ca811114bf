using Microsoft.Bot.Builder;
using Microsoft.Bot.Builder.Adapters;
using Newtonsoft.Json.Linq;

namespace ClinicBot.Tests.Storage;

/// <summary>
/// The Bot Framework <see cref="IStorage"/> contract ClinicBot relies on. Every storage implementation gets a
/// derived class that supplies <see cref="Storage"/>; nothing here may depend on a particular backend.
/// </summary>
public abstract class StorageContractTests
{
    private readonly string _prefix = $"contract-{Guid.NewGuid():N}/";

    /// <summary>The storage under test. May be shared between tests; every test uses its own keys.</summary>
    protected abstract IStorage Storage { get; }

    /// <summary>
    /// Whether writing an <see cref="IStoreItem"/> whose ETag is null over an existing item overwrites it.
    /// Bot Builder's Cosmos DB/Blob storages and SqliteStorage: yes. Bot Builder 4.23.1's MemoryStorage: no, it is
    /// an ETag conflict.
    /// </summary>
    protected virtual bool NullETagOverwritesExistingItem => true;

    public static TheoryData<string> SpecialKeys => new(SpecialKeyValues);

    private static readonly string[] SpecialKeyValues =
    [
        "conversation/with/slashes",
        @"back\slash\key",
        "question?mark=1&x=2",
        "#hash#fragment",
        "double\"quote and 'single' quote",
        "unicode ünïcödé 日本語 🩺 \u00A0",
        "percent%20encoded%2F",
        "!@#$%^&*()~/\\><,.?';\"`~",
        "  leading and trailing spaces  ",
        "emulator/conversations/" + new string('x', 1000),
    ];

    [Fact]
    public async Task ReadingAMissingKeyReturnsNoEntry()
    {
        var result = await Storage.ReadAsync([Key("missing")], CancellationToken.None);

        Assert.NotNull(result);
        Assert.Empty(result);
    }

    [Fact]
    public async Task CreatedItemsCanBeReadBack()
    {
        await Storage.WriteAsync(
            new Dictionary<string, object>
            {
                [Key("poco")] = new PocoItem { Id = "1", Count = 7, Text = "hello" },
                [Key("store")] = new PocoStoreItem { Id = "2", Count = 3 },
            },
            CancellationToken.None);

        var result = await Storage.ReadAsync([Key("poco"), Key("store")], CancellationToken.None);

        var poco = As<PocoItem>(result[Key("poco")]);
        Assert.Equal(("1", 7, "hello"), (poco.Id, poco.Count, poco.Text));
        var store = As<PocoStoreItem>(result[Key("store")]);
        Assert.Equal(("2", 3), (store.Id, store.Count));
        Assert.False(string.IsNullOrEmpty(store.ETag));
        Assert.NotEqual("*", store.ETag);
    }

    [Fact]
    public async Task ReadingManyKeysReturnsExactlyTheExistingOnes()
    {
        await WriteAsync(Key("a"), new PocoItem { Id = "a" });
        await WriteAsync(Key("c"), new PocoItem { Id = "c" });

        var result = await Storage.ReadAsync([Key("a"), Key("b"), Key("c"), Key("d")], CancellationToken.None);

        Assert.Equal(new[] { Key("a"), Key("c") }, result.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("a", As<PocoItem>(result[Key("a")]).Id);
        Assert.Equal("c", As<PocoItem>(result[Key("c")]).Id);
    }

    [Fact]
    public async Task UpdatingWithTheCurrentETagReplacesTheValue()
    {
        await WriteAsync(Key("item"), new PocoStoreItem { Id = "1", Count = 1 });
        var loaded = await ReadAsync<PocoStoreItem>(Key("item"));

        loaded.Count = 2;
        await WriteAsync(Key("item"), loaded);

        var reloaded = await ReadAsync<PocoStoreItem>(Key("item"));
        Assert.Equal(2, reloaded.Count);
        Assert.NotEqual(loaded.ETag, reloaded.ETag);
    }

    [Fact]
    public async Task EveryWriteProducesANewETag()
    {
        var etags = new List<string?>();
        await WriteAsync(Key("item"), new PocoStoreItem { Id = "1" });
        for (var i = 0; i < 4; i++)
        {
            var item = await ReadAsync<PocoStoreItem>(Key("item"));
            etags.Add(item.ETag);
            item.Count = i;
            await WriteAsync(Key("item"), item);
        }

        etags.Add((await ReadAsync<PocoStoreItem>(Key("item"))).ETag);
        Assert.All(etags, etag => Assert.False(string.IsNullOrEmpty(etag)));
        Assert.Equal(etags.Count, etags.Distinct().Count());
    }

    [Fact]
    public async Task WritingDoesNotChangeTheCallersObject()
    {
        var item = new PocoStoreItem { Id = "1", ETag = "*" };
        await WriteAsync(Key("item"), item);

        Assert.Equal("*", item.ETag);
    }

    [Fact]
    public async Task DeleteRemovesTheItem()
    {
        await WriteAsync(Key("gone"), new PocoStoreItem { Id = "1" });
        await WriteAsync(Key("kept"), new PocoStoreItem { Id = "2" });

        await Storage.DeleteAsync([Key("gone")], CancellationToken.None);

        var result = await Storage.ReadAsync([Key("gone"), Key("kept")], CancellationToken.None);
        Assert.Equal(new[] { Key("kept") }, result.Keys);
    }

    [Fact]
    public async Task DeletingManyKeysIncludingMissingOnesRemovesTheExistingOnes()
    {
        await WriteAsync(Key("one"), new PocoItem { Id = "1" });
        await WriteAsync(Key("two"), new PocoItem { Id = "2" });

        await Storage.DeleteAsync([Key("one"), Key("never-existed"), Key("two")], CancellationToken.None);

        Assert.Empty(await Storage.ReadAsync([Key("one"), Key("two")], CancellationToken.None));
    }

    [Fact]
    public async Task DeletingAMissingKeyIsFine()
    {
        await Storage.DeleteAsync([Key("never-existed")], CancellationToken.None);

        Assert.Empty(await Storage.ReadAsync([Key("never-existed")], CancellationToken.None));
    }

    [Fact]
    public async Task ADeletedStoreItemCanBeCreatedAgain()
    {
        await WriteAsync(Key("item"), new PocoStoreItem { Id = "1" });
        var stale = await ReadAsync<PocoStoreItem>(Key("item"));
        await Storage.DeleteAsync([Key("item")], CancellationToken.None);

        await WriteAsync(Key("item"), new PocoStoreItem { Id = "2" });

        Assert.Equal("2", (await ReadAsync<PocoStoreItem>(Key("item"))).Id);
        Assert.NotEqual(stale.ETag, (await ReadAsync<PocoStoreItem>(Key("item"))).ETag);
    }

    [Fact]
    public async Task ABatchWriteStoresEveryItem()
    {
        var batch = Enumerable.Range(0, 25).ToDictionary(
            i => Key($"batch-{i}"),
            i => i % 2 == 0 ? (object)new PocoStoreItem { Id = $"{i}", Count = i } : new PocoItem { Id = $"{i}", Count = i });

        await Storage.WriteAsync(batch, CancellationToken.None);

        var result = await Storage.ReadAsync(batch.Keys.ToArray(), CancellationToken.None);
        Assert.Equal(25, result.Count);
        for (var i = 0; i < 25; i++)
        {
            var value = result[Key($"batch-{i}")];
            Assert.Equal(i, i % 2 == 0 ? As<PocoStoreItem>(value).Count : As<PocoItem>(value).Count);
        }
    }

    [Fact]
    public async Task WritingWithAStaleETagFailsAndKeepsTheStoredValue()
    {
        await WriteAsync(Key("item"), new PocoStoreItem { Id = "1", Count = 1 });
        var first = await ReadAsync<PocoStoreItem>(Key("item"));
        var second = await ReadAsync<PocoStoreItem>(Key("item"));
        first.Count = 2;
        await WriteAsync(Key("item"), first);

        second.Count = 99;
        var ex = await Assert.ThrowsAnyAsync<Exception>(() => WriteAsync(Key("item"), second));

        AssertIsETagConflict(ex);
        Assert.Equal(2, (await ReadAsync<PocoStoreItem>(Key("item"))).Count);
    }

    [Fact]
    public async Task WritingWithAnInventedETagFails()
    {
        await WriteAsync(Key("item"), new PocoStoreItem { Id = "1", Count = 1 });

        var ex = await Assert.ThrowsAnyAsync<Exception>(
            () => WriteAsync(Key("item"), new PocoStoreItem { Id = "1", Count = 5, ETag = "not-the-etag" }));

        AssertIsETagConflict(ex);
        Assert.Equal(1, (await ReadAsync<PocoStoreItem>(Key("item"))).Count);
    }

    [Fact]
    public async Task WritingWithAnEmptyETagOverAnExistingItemFails()
    {
        await WriteAsync(Key("item"), new PocoStoreItem { Id = "1", Count = 1 });

        await Assert.ThrowsAnyAsync<Exception>(
            () => WriteAsync(Key("item"), new PocoStoreItem { Id = "1", Count = 5, ETag = string.Empty }));

        Assert.Equal(1, (await ReadAsync<PocoStoreItem>(Key("item"))).Count);
    }

    [Fact]
    public async Task WritingWithTheWildcardETagOverwrites()
    {
        await WriteAsync(Key("item"), new PocoStoreItem { Id = "1", Count = 1 });
        var stale = await ReadAsync<PocoStoreItem>(Key("item"));
        await WriteAsync(Key("item"), new PocoStoreItem { Id = "1", Count = 2, ETag = stale.ETag });

        await WriteAsync(Key("item"), new PocoStoreItem { Id = "1", Count = 3, ETag = "*" });

        var reloaded = await ReadAsync<PocoStoreItem>(Key("item"));
        Assert.Equal(3, reloaded.Count);
        Assert.NotEqual("*", reloaded.ETag);
    }

    [Fact]
    public async Task WritingANullETagOverAnExistingItem()
    {
        await WriteAsync(Key("item"), new PocoStoreItem { Id = "1", Count = 1 });

        var write = () => WriteAsync(Key("item"), new PocoStoreItem { Id = "1", Count = 2, ETag = null });

        if (NullETagOverwritesExistingItem)
        {
            await write();
            Assert.Equal(2, (await ReadAsync<PocoStoreItem>(Key("item"))).Count);
        }
        else
        {
            AssertIsETagConflict(await Assert.ThrowsAnyAsync<Exception>(write));
            Assert.Equal(1, (await ReadAsync<PocoStoreItem>(Key("item"))).Count);
        }
    }

    [Fact]
    public async Task ANewStoreItemCanBeCreatedWithANullETag()
    {
        await WriteAsync(Key("item"), new PocoStoreItem { Id = "1", ETag = null });

        Assert.Equal("1", (await ReadAsync<PocoStoreItem>(Key("item"))).Id);
    }

    [Fact]
    public async Task OfConcurrentWritersWithTheSameETagExactlyOneWins()
    {
        const int writers = 8;
        await WriteAsync(Key("race"), new PocoStoreItem { Id = "race", Count = -1 });
        var etag = (await ReadAsync<PocoStoreItem>(Key("race"))).ETag;
        using var start = new ManualResetEventSlim();

        var attempts = Enumerable.Range(0, writers).Select(i => Task.Run(async () =>
        {
            start.Wait();
            try
            {
                await WriteAsync(Key("race"), new PocoStoreItem { Id = "race", Count = i, ETag = etag });
                return (Writer: i, Error: (Exception?)null);
            }
            catch (Exception ex)
            {
                return (Writer: i, Error: ex);
            }
        })).ToList();
        start.Set();
        var outcomes = await Task.WhenAll(attempts);

        var winners = outcomes.Where(o => o.Error is null).ToList();
        Assert.Single(winners);
        Assert.All(outcomes.Where(o => o.Error is not null), o => AssertIsETagConflict(o.Error!));
        Assert.Equal(winners[0].Writer, (await ReadAsync<PocoStoreItem>(Key("race"))).Count);
    }

    [Fact]
    public async Task NonStoreItemsAreLastWriterWinsWhateverETagTheyCarry()
    {
        await WriteAsync(Key("dict"), new Dictionary<string, object> { ["count"] = 1L, ["ETag"] = "bogus" });
        await WriteAsync(Key("dict"), new Dictionary<string, object> { ["count"] = 2L, ["ETag"] = "other" });
        await WriteAsync(Key("jobject"), new JObject { ["count"] = 1, ["eTag"] = "bogus" });
        await WriteAsync(Key("jobject"), new JObject { ["count"] = 2, ["eTag"] = "other" });
        await WriteAsync(Key("poco"), new PocoItem { Count = 1 });
        await WriteAsync(Key("poco"), new PocoItem { Count = 2 });

        var result = await Storage.ReadAsync([Key("dict"), Key("jobject"), Key("poco")], CancellationToken.None);

        Assert.Equal(2L, Convert.ToInt64(As<Dictionary<string, object>>(result[Key("dict")])["count"], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(2, JObject.FromObject(result[Key("jobject")])["count"]!.Value<int>());
        Assert.Equal(2, As<PocoItem>(result[Key("poco")]).Count);
    }

    [Fact]
    public async Task AStoreItemMayReplaceAValueThatWasWrittenWithoutAnETag()
    {
        await WriteAsync(Key("item"), new PocoItem { Id = "plain", Count = 1 });

        await WriteAsync(Key("item"), new PocoStoreItem { Id = "store", Count = 2, ETag = "anything" });

        var reloaded = await ReadAsync<PocoStoreItem>(Key("item"));
        Assert.Equal(("store", 2), (reloaded.Id, reloaded.Count));
        Assert.False(string.IsNullOrEmpty(reloaded.ETag));
    }

    [Theory]
    [MemberData(nameof(SpecialKeys))]
    public async Task KeysWithSpecialCharactersRoundTrip(string special)
    {
        var key = Key(special);
        await WriteAsync(key, new PocoStoreItem { Id = special, Count = special.Length });

        var result = await Storage.ReadAsync([key], CancellationToken.None);

        Assert.Equal(new[] { key }, result.Keys);
        Assert.Equal(special, As<PocoStoreItem>(result[key]).Id);
        await Storage.DeleteAsync([key], CancellationToken.None);
        Assert.Empty(await Storage.ReadAsync([key], CancellationToken.None));
    }

    [Fact]
    public async Task SimilarSpecialKeysDoNotCollide()
    {
        var keys = SpecialKeyValues.Select(Key).ToArray();
        await Storage.WriteAsync(keys.ToDictionary(k => k, object (k) => new PocoItem { Id = k }), CancellationToken.None);

        var result = await Storage.ReadAsync(keys, CancellationToken.None);

        Assert.Equal(keys.Length, result.Count);
        Assert.All(keys, k => Assert.Equal(k, As<PocoItem>(result[k]).Id));
    }

    [Fact]
    public async Task StringsThatLookLikeDatesStayStrings()
    {
        const string text = "2024-05-01T10:00:00Z";
        var at = new DateTime(2024, 5, 1, 10, 0, 0, DateTimeKind.Utc);
        await WriteAsync(Key("item"), new PocoItem { Id = "1", Text = text, At = at });
        await WriteAsync(Key("dict"), new Dictionary<string, object> { ["text"] = text });

        var result = await Storage.ReadAsync([Key("item"), Key("dict")], CancellationToken.None);

        var item = As<PocoItem>(result[Key("item")]);
        Assert.Equal(text, item.Text);
        Assert.Equal(at, item.At);
        Assert.Equal(DateTimeKind.Utc, item.At!.Value.Kind);
        Assert.Equal(text, As<Dictionary<string, object>>(result[Key("dict")])["text"]);
    }

    [Fact]
    public async Task TypedStateRoundTripsThroughConversationStateAcrossTurns()
    {
        var conversationState = new ConversationState(Storage);
        var profileAccessor = conversationState.CreateProperty<PatientProfile>("profile");
        var turnsAccessor = conversationState.CreateProperty<int>("turns");
        var adapter = new TestAdapter(TestAdapter.CreateConversation($"{_prefix}typed-state"))
            .Use(new AutoSaveStateMiddleware(conversationState));

        await new TestFlow(adapter, async (turnContext, cancellationToken) =>
            {
                var profile = await profileAccessor.GetAsync(turnContext, () => new PatientProfile(), cancellationToken);
                var turns = await turnsAccessor.GetAsync(turnContext, () => 0, cancellationToken) + 1;
                await turnsAccessor.SetAsync(turnContext, turns, cancellationToken);
                if (turnContext.Activity.Text == "remember")
                {
                    profile.PreferredName = "Ana";
                    profile.Allergies.Add("penicillin");
                    profile.NextAppointment = new Appointment { Clinic = "Cardiology", AtUtc = new DateTime(2030, 1, 2, 9, 30, 0, DateTimeKind.Utc) };
                    await turnContext.SendActivityAsync("ok", cancellationToken: cancellationToken);
                }
                else
                {
                    await turnContext.SendActivityAsync(
                        $"{profile.PreferredName}|{string.Join(",", profile.Allergies)}|{profile.NextAppointment?.Clinic}|{profile.NextAppointment?.AtUtc:O}|{turns}",
                        cancellationToken: cancellationToken);
                }
            })
            .Send("remember").AssertReply("ok")
            .Send("recall").AssertReply("Ana|penicillin|Cardiology|2030-01-02T09:30:00.0000000Z|2")
            .StartTestAsync();

        // The state really is in the storage (not just cached in the adapter) and holds the typed object.
        var key = $"{adapter.Conversation.ChannelId}/conversations/{adapter.Conversation.Conversation.Id}";
        var stored = await Storage.ReadAsync([key], CancellationToken.None);
        var state = As<Dictionary<string, object>>(stored[key]);
        var storedProfile = As<PatientProfile>(state["profile"]);
        Assert.Equal(["penicillin"], storedProfile.Allergies);
        Assert.Equal(new DateTime(2030, 1, 2, 9, 30, 0, DateTimeKind.Utc), storedProfile.NextAppointment!.AtUtc);
    }

    /// <summary>Asserts that <paramref name="exception"/> is this storage's ETag conflict error.</summary>
    protected virtual void AssertIsETagConflict(Exception exception)
    {
        // Bot Builder's MemoryStorage (4.23.1) throws ArgumentException("Etag conflict.\r\n\r\nOriginal: ...").
        Assert.IsAssignableFrom<ArgumentException>(exception);
        Assert.Contains("Etag conflict", exception.Message, StringComparison.Ordinal);
    }

    protected string Key(string name) => _prefix + name;

    protected Task WriteAsync(string key, object value)
        => Storage.WriteAsync(new Dictionary<string, object> { [key] = value }, CancellationToken.None);

    protected async Task<T> ReadAsync<T>(string key)
    {
        var result = await Storage.ReadAsync([key], CancellationToken.None);
        Assert.True(result.ContainsKey(key), $"'{key}' was not found");
        return As<T>(result[key]);
    }

    /// <summary>Storages may return the CLR type (TypeNameHandling.All) or a JObject; accept both.</summary>
    protected static T As<T>(object value) => value switch
    {
        T typed => typed,
        JToken token => token.ToObject<T>()!,
        _ => throw new Xunit.Sdk.XunitException($"Expected {typeof(T).Name} but read {value.GetType().FullName}"),
    };

    public sealed class PocoItem
    {
        public string? Id { get; set; }

        public int Count { get; set; }

        public string? Text { get; set; }

        public DateTime? At { get; set; }
    }

    public sealed class PocoStoreItem : IStoreItem
    {
        public string? Id { get; set; }

        public int Count { get; set; }

        public string? ETag { get; set; }
    }

    public sealed class PatientProfile
    {
        public string? PreferredName { get; set; }

        public List<string> Allergies { get; set; } = [];

        public Appointment? NextAppointment { get; set; }
    }

    public sealed class Appointment
    {
        public string? Clinic { get; set; }

        public DateTime AtUtc { get; set; }
    }
}
