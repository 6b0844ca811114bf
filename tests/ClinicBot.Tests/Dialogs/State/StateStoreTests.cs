using ClinicBot.Dialogs.Framework;
using ClinicBot.Dialogs.Patients;
using ClinicBot.Dialogs.State;
using ClinicBot.Bot.Storage.Cosmos;
using ClinicBot.Bot.Storage.Sqlite;
using ClinicBot.Tests.Storage;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Builder.Adapters;
using Microsoft.Bot.Schema;
using Newtonsoft.Json.Linq;

namespace ClinicBot.Tests.Dialogs.State;

/// <summary>On SQLite, which hands documents over as text (<see cref="IStateDocumentStorage"/>): the bot's path.</summary>
public sealed class SqliteStateStoreTests() : StateStoreTests(files => new CountingDocumentStorage<SqliteStorage>(new SqliteStorage(files.Open())));

/// <summary>On Cosmos DB (the local Cosmos-compatible server), which also hands documents over as text.</summary>
[Collection(CosmosServerCollection.Name)]
public sealed class CosmosStateStoreTests(CosmosServerFixture server)
    : StateStoreTests(_ => new CountingDocumentStorage<CosmosStorage>(new CosmosStorage(server.SharedContainers("state-store-" + Guid.NewGuid().ToString("N")[..8]))));

/// <summary>On Bot Builder's MemoryStorage, a plain <see cref="IStorage"/> (Storage:Provider = Memory).</summary>
public sealed class MemoryStateStoreTests() : StateStoreTests(_ => new CountingStorage(new MemoryStorage()));

public abstract class StateStoreTests : IDisposable
{
    private readonly SqliteTestDatabase _files = new();
    private readonly CountingStorage _storage;
    private readonly StateStore _store;
    private readonly IStatePropertyAccessor<ConversationData> _conversation;
    private readonly IStatePropertyAccessor<PatientProfile> _profile;
    private readonly IStatePropertyAccessor<DialogState> _dialog;

    private protected StateStoreTests(Func<SqliteTestDatabase, CountingStorage> storage)
    {
        _storage = storage(_files);
        _store = new StateStore(_storage);
        _conversation = _store.ConversationProperty<ConversationData>(nameof(ConversationData));
        _profile = _store.UserProperty<PatientProfile>(nameof(PatientProfile));
        _dialog = _store.ConversationProperty<DialogState>(nameof(DialogState));
    }

    [Fact]
    public async Task ReadsConversationAndUserStateInOneStorageReadAndSavesBothInOneWrite()
    {
        var turn = Turn();
        (await _conversation.GetAsync(turn, () => new ConversationData())).ActiveHandoffId = "h-1";
        (await _profile.GetAsync(turn, () => new PatientProfile())).PreferredName = "Dana";
        await _store.SaveChangesAsync(turn, CancellationToken.None);

        Assert.Equal(1, _storage.Reads);
        Assert.Equal([["webchat/conversations/c-1", "webchat/users/u-1"]], _storage.WrittenKeys.Select(k => k.Order(StringComparer.Ordinal).ToArray()));
    }

    [Fact]
    public async Task MutationsOfTheObjectsHandedOutArePersistedAcrossTurns()
    {
        var first = Turn();
        var profile = await _profile.GetAsync(first, () => new PatientProfile());
        profile.PreferredName = "Dana";
        profile.FirstSeen = new DateTimeOffset(2026, 11, 28, 9, 30, 0, TimeSpan.FromHours(-5));
        var dialog = await _dialog.GetAsync(first, () => new DialogState());
        dialog.DialogStack.Add(new DialogInstance { Id = "confirm", State = { ["attempts"] = 2, ["request"] = new JObject { ["text"] = "knee" } } });
        await _store.SaveChangesAsync(first, CancellationToken.None);

        var second = Turn();
        var read = await _profile.GetAsync(second);
        Assert.Equal("Dana", read.PreferredName);
        Assert.Equal(TimeSpan.FromHours(-5), read.FirstSeen!.Value.Offset);
        var stack = (await _dialog.GetAsync(second)).DialogStack;
        Assert.Equal("confirm", Assert.Single(stack).Id);
        Assert.Equal(2, stack[0].State.GetValue<int>("attempts"));
        Assert.Equal("knee", stack[0].State.GetValue<JObject>("request")!.Value<string>("text"));
    }

    [Fact]
    public async Task ATurnThatChangesNothingWritesNothing()
    {
        var first = Turn();
        (await _profile.GetAsync(first, () => new PatientProfile())).PreferredName = "Dana";
        (await _conversation.GetAsync(first, () => new ConversationData())).ActiveHandoffId = "h-1";
        await _store.SaveChangesAsync(first, CancellationToken.None);
        Assert.Single(_storage.WrittenKeys);

        var readOnly = Turn();
        Assert.Equal("Dana", (await _profile.GetAsync(readOnly, () => new PatientProfile())).PreferredName);
        Assert.Equal("h-1", (await _conversation.GetAsync(readOnly, () => new ConversationData())).ActiveHandoffId);
        await _store.SaveChangesAsync(readOnly, CancellationToken.None);
        Assert.Single(_storage.WrittenKeys);

        // Only the document that changed is written.
        var conversationOnly = Turn();
        (await _conversation.GetAsync(conversationOnly, () => new ConversationData())).ActiveHandoffId = null;
        Assert.Equal("Dana", (await _profile.GetAsync(conversationOnly)).PreferredName);
        await _store.SaveChangesAsync(conversationOnly, CancellationToken.None);
        Assert.Equal(["webchat/conversations/c-1"], _storage.WrittenKeys[^1]);
    }

    [Fact]
    public async Task AFailedWriteLeavesTheChangesToBeSavedAgain()
    {
        var turn = Turn();
        (await _profile.GetAsync(turn, () => new PatientProfile())).PreferredName = "Dana";
        _storage.FailNextWrite = true;
        await Assert.ThrowsAsync<IOException>(() => _store.SaveChangesAsync(turn, CancellationToken.None));

        await _store.SaveChangesAsync(turn, CancellationToken.None);

        Assert.Equal("Dana", (await _profile.GetAsync(Turn())).PreferredName);
    }

    [Fact]
    public async Task AStoreThatWasNeverReadInATurnNeitherReadsNorWrites()
    {
        await _store.SaveChangesAsync(Turn(), CancellationToken.None);

        Assert.Equal(0, _storage.Reads);
        Assert.Empty(_storage.WrittenKeys);
    }

    [Fact]
    public async Task DeletedPropertiesAreRemovedFromTheStoredDocument()
    {
        var first = Turn();
        await _dialog.SetAsync(first, new DialogState { DialogStack = { new DialogInstance { Id = "ask-name" } } });
        (await _conversation.GetAsync(first, () => new ConversationData())).ActiveHandoffId = "h-1";
        await _store.SaveChangesAsync(first, CancellationToken.None);

        var second = Turn();
        await _dialog.DeleteAsync(second);
        Assert.Null(await _dialog.GetAsync(second));
        await _store.SaveChangesAsync(second, CancellationToken.None);

        var stored = await StoredAsync("webchat/conversations/c-1");
        Assert.False(stored!.ContainsKey(nameof(DialogState)));
        Assert.Equal("h-1", Assert.IsType<ConversationData>(stored[nameof(ConversationData)]).ActiveHandoffId);
    }

    [Fact]
    public async Task DeletingConversationStateKeepsThePatientsProfile()
    {
        var first = Turn();
        (await _profile.GetAsync(first, () => new PatientProfile())).PreferredName = "Dana";
        await _dialog.SetAsync(first, new DialogState { DialogStack = { new DialogInstance { Id = "confirm" } } });
        await _store.SaveChangesAsync(first, CancellationToken.None);

        var failed = Turn();
        Assert.Single((await _dialog.GetAsync(failed)).DialogStack);
        await _store.DeleteConversationStateAsync(failed, CancellationToken.None);
        Assert.Null(await _dialog.GetAsync(failed)); // gone for the rest of this turn too
        await _store.SaveChangesAsync(failed, CancellationToken.None);

        Assert.Null(await StoredAsync("webchat/conversations/c-1"));
        Assert.Equal("Dana", (await _profile.GetAsync(Turn())).PreferredName);
    }

    [Fact]
    public async Task StateItWritesIsReadByBotBuildersConversationStateAndUserState()
    {
        var turn = Turn();
        (await _profile.GetAsync(turn, () => new PatientProfile())).PreferredName = "Dana";
        await _dialog.SetAsync(turn, new DialogState { DialogStack = { new DialogInstance { Id = "confirm", State = { ["attempts"] = 2 } } } });
        await _store.SaveChangesAsync(turn, CancellationToken.None);

        var botBuilderTurn = Turn();
        var profile = await new UserState(_storage).CreateProperty<PatientProfile>(nameof(PatientProfile)).GetAsync(botBuilderTurn);
        var dialog = await new ConversationState(_storage).CreateProperty<DialogState>(nameof(DialogState)).GetAsync(botBuilderTurn);
        Assert.Equal("Dana", profile.PreferredName);
        Assert.Equal(2, Assert.Single(dialog.DialogStack).State.GetValue<int>("attempts"));
    }

    [Fact]
    public async Task ReadsStateWrittenWithoutTypeNames()
    {
        // Plain JSON, as a document edited by hand or copied from another tool would be.
        await _storage.WriteAsync(new Dictionary<string, object>
        {
            ["webchat/users/u-1"] = JObject.Parse("""{"PatientProfile":{"PreferredName":"Dana","NameSource":3}}"""),
        });

        var turn = Turn();
        var profile = await _profile.GetAsync(turn);
        Assert.Equal(("Dana", NameSource.Patient), (profile.PreferredName, profile.NameSource));
        profile.DeclinedName = true; // the converted object is the live one
        await _store.SaveChangesAsync(turn, CancellationToken.None);
        Assert.True((await _profile.GetAsync(Turn())).DeclinedName);
    }

    [Fact]
    public async Task ReadsStateWrittenByBotBuildersConversationStateAndUserState()
    {
        // Documents as Bot Builder's BotState wrote them before this store existed: typed dictionaries with type names.
        var conversationState = new ConversationState(_storage);
        var userState = new UserState(_storage);
        var legacyTurn = Turn();
        (await userState.CreateProperty<PatientProfile>(nameof(PatientProfile)).GetAsync(legacyTurn, () => new PatientProfile())).PreferredName = "Dana";
        await conversationState.CreateProperty<DialogState>(nameof(DialogState))
            .SetAsync(legacyTurn, new DialogState { DialogStack = { new DialogInstance { Id = "confirm", State = { ["attempts"] = 1 } } } });
        await conversationState.SaveChangesAsync(legacyTurn);
        await userState.SaveChangesAsync(legacyTurn);

        var store = new StateStore(_storage);
        var turn = Turn();
        Assert.Equal("Dana", (await store.UserProperty<PatientProfile>(nameof(PatientProfile)).GetAsync(turn)).PreferredName);
        var stack = (await store.ConversationProperty<DialogState>(nameof(DialogState)).GetAsync(turn)).DialogStack;
        Assert.Equal(1, Assert.Single(stack).State.GetValue<int>("attempts"));
    }

    [Fact]
    public async Task AnActivityWithoutASenderHasConversationStateButNoUserState()
    {
        var turn = Turn(from: null);
        (await _conversation.GetAsync(turn, () => new ConversationData())).ActiveHandoffId = "h-1";
        await Assert.ThrowsAsync<InvalidOperationException>(() => _profile.GetAsync(turn, () => new PatientProfile()));
        await _store.SaveChangesAsync(turn, CancellationToken.None);

        Assert.Equal(["webchat/conversations/c-1"], Assert.Single(_storage.WrittenKeys));
    }

    [Fact]
    public async Task TwoStoresDoNotShareATurnsCache()
    {
        var other = new StateStore(new MemoryStorage());
        var turn = Turn();
        (await _profile.GetAsync(turn, () => new PatientProfile())).PreferredName = "Dana";

        Assert.Null((await other.UserProperty<PatientProfile>(nameof(PatientProfile)).GetAsync(turn, () => new PatientProfile())).PreferredName);
    }

    private static TurnContext Turn(string? from = "u-1") => new(new TestAdapter(), new Activity
    {
        Type = ActivityTypes.Message,
        ChannelId = "webchat",
        Conversation = new ConversationAccount { Id = "c-1" },
        From = from is null ? null : new ChannelAccount { Id = from },
        Recipient = new ChannelAccount { Id = "bot" },
        Text = "hello",
    });

    public void Dispose()
    {
        _files.Dispose();
        GC.SuppressFinalize(this);
    }

    private async Task<IDictionary<string, object>?> StoredAsync(string key) =>
        (await _storage.ReadAsync([key])).TryGetValue(key, out var value) ? (IDictionary<string, object>)value : null;

    /// <summary>Counts storage round trips and records the keys of each write.</summary>
    private protected class CountingStorage(IStorage inner) : IStorage
    {
        public int Reads { get; protected set; }

        public List<string[]> WrittenKeys { get; } = [];

        public bool FailNextWrite { get; set; }

        public Task<IDictionary<string, object>> ReadAsync(string[] keys, CancellationToken cancellationToken = default)
        {
            Reads++;
            return inner.ReadAsync(keys, cancellationToken);
        }

        public Task WriteAsync(IDictionary<string, object> changes, CancellationToken cancellationToken = default)
        {
            ThrowIfFailing();
            WrittenKeys.Add([.. changes.Keys]);
            return inner.WriteAsync(changes, cancellationToken);
        }

        protected void ThrowIfFailing()
        {
            if (FailNextWrite)
            {
                FailNextWrite = false;
                throw new IOException("disk full");
            }
        }

        public Task DeleteAsync(string[] keys, CancellationToken cancellationToken = default) => inner.DeleteAsync(keys, cancellationToken);
    }

    /// <summary>The same, for a storage that hands documents over as text.</summary>
    private protected sealed class CountingDocumentStorage<TStorage>(TStorage inner) : CountingStorage(inner), IStateDocumentStorage
        where TStorage : IStorage, IStateDocumentStorage
    {
        public Task<IReadOnlyDictionary<string, string>> ReadDocumentsAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken)
        {
            Reads++;
            return inner.ReadDocumentsAsync(keys, cancellationToken);
        }

        public Task WriteDocumentsAsync(IReadOnlyDictionary<string, string> documents, CancellationToken cancellationToken)
        {
            ThrowIfFailing();
            WrittenKeys.Add([.. documents.Keys]);
            return inner.WriteDocumentsAsync(documents, cancellationToken);
        }
    }
}
