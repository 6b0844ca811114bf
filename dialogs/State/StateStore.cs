using System.Runtime.CompilerServices;
using Microsoft.Bot.Builder;
using Newtonsoft.Json.Linq;

namespace ClinicBot.Dialogs.State;

/// <summary>
/// Conversation and user state, in place of Bot Builder's <c>ConversationState</c> and <c>UserState</c>, with the same
/// storage keys (<c>{channel}/conversations/{conversation}</c>, <c>{channel}/users/{user}</c>), the same stored form
/// (<see cref="StateJson"/>) and the same <see cref="IStatePropertyAccessor{T}"/> surface, so dialogs read and write
/// properties as they would with Bot Builder and state written by either reads back in the other.
/// </summary>
/// <remarks>
/// <para>Why not Bot Builder's: per turn it made two storage reads, up to two writes and three serialisations of each
/// document (a hash on load, a hash on save, then the storage's own), about a quarter of the CPU of a dialog turn.
/// Here both documents are read in one round trip on first use; <see cref="SaveChangesAsync"/> serialises each
/// document the turn touched once and writes, in one round trip, those whose text changed. With an
/// <see cref="IStateDocumentStorage"/> (SQLite, Cosmos DB) the text goes to and from the storage as is.</para>
/// <para>Last writer wins, like Bot Builder's <c>BotState</c>: one conversation's turns are already serialised by
/// <see cref="Middleware.ConversationTurnGate"/>.</para>
/// </remarks>
public sealed class StateStore(IStorage storage)
{
    private readonly IStorage _storage = storage ?? throw new ArgumentNullException(nameof(storage));
    private readonly IStateDocumentStorage? _documents = storage as IStateDocumentStorage;

    // A turn's documents, by the turn's state collection (what Bot Builder's BotState keys its cache in), held in a
    // table of this store's own: Bot Builder's TurnContextStateCollection hashes its keys culture-aware with ICU, about
    // 0.5 µs a lookup, and the documents are looked up on every property access (a dozen times a turn). One table per
    // store, so two stores over different storages never share a turn's cache.
    private readonly ConditionalWeakTable<TurnContextStateCollection, TurnDocuments> _turns = new();

    /// <summary>A property of the conversation's state.</summary>
    public IStatePropertyAccessor<T> ConversationProperty<T>(string name) => new PropertyAccessor<T>(this, StateScope.Conversation, name);

    /// <summary>A property of the patient's (user's) state on this channel.</summary>
    public IStatePropertyAccessor<T> UserProperty<T>(string name) => new PropertyAccessor<T>(this, StateScope.User, name);

    /// <summary>Writes the documents this turn changed, in one storage write. Idempotent within a turn.</summary>
    public async Task SaveChangesAsync(ITurnContext turnContext, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        if (!_turns.TryGetValue(turnContext.TurnState, out var turn))
        {
            return; // nothing was read, so nothing can have changed
        }

        var changed = turn.All.Select(document => (Document: document, Text: document.SerializeIfChanged())).Where(c => c.Text is not null).ToList();
        if (changed.Count == 0)
        {
            return;
        }

        if (_documents is not null)
        {
            await _documents.WriteDocumentsAsync(changed.ToDictionary(c => c.Document.Key, c => c.Text!, StringComparer.Ordinal), cancellationToken);
        }
        else
        {
            await _storage.WriteAsync(changed.ToDictionary(c => c.Document.Key, c => (object)c.Document.Properties, StringComparer.Ordinal), cancellationToken);
        }

        foreach (var (document, text) in changed)
        {
            document.Saved(text!); // only now: a failed write leaves the document changed
        }
    }

    /// <summary>Deletes the conversation's state from storage and from this turn (the patient's profile stays).</summary>
    public async Task DeleteConversationStateAsync(ITurnContext turnContext, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        var key = ConversationKey(turnContext.Activity);
        if (_turns.TryGetValue(turnContext.TurnState, out var turn))
        {
            turn.Conversation.Clear();
        }

        await _storage.DeleteAsync([key], cancellationToken);
    }

    private async Task<TurnDocuments> LoadAsync(ITurnContext turnContext, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        if (_turns.TryGetValue(turnContext.TurnState, out var loaded))
        {
            return loaded;
        }

        var conversationKey = ConversationKey(turnContext.Activity);
        var userKey = UserKey(turnContext.Activity);
        string[] keys = userKey is null ? [conversationKey] : [conversationKey, userKey];
        var documents = _documents is not null ? await ReadTextAsync(_documents, keys, cancellationToken) : await ReadObjectsAsync(keys, cancellationToken);
        var turn = new TurnDocuments(documents[0], userKey is null ? null : documents[1]);

        // Two first reads racing in one turn: the first to finish wins, so both callers share one cache.
        if (!_turns.TryAdd(turnContext.TurnState, turn) && _turns.TryGetValue(turnContext.TurnState, out var raced))
        {
            return raced;
        }

        return turn;
    }

    private static async Task<Document[]> ReadTextAsync(IStateDocumentStorage storage, string[] keys, CancellationToken cancellationToken)
    {
        var texts = await storage.ReadDocumentsAsync(keys, cancellationToken);
        return [.. keys.Select(key => texts.TryGetValue(key, out var text)
            ? new Document(key, ToProperties(StateJson.Deserialize(text)), text)
            : new Document(key, null, null))];
    }

    private async Task<Document[]> ReadObjectsAsync(string[] keys, CancellationToken cancellationToken)
    {
        var values = await _storage.ReadAsync(keys, cancellationToken);
        return [.. keys.Select(key => values.TryGetValue(key, out var value) && value is not null
            ? new Document(key, ToProperties(value), StateJson.Serialize(value))
            : new Document(key, null, null))];
    }

    private static Dictionary<string, object?> ToProperties(object value) => value switch
    {
        Dictionary<string, object?> typed => typed,
        JObject json => json.Properties().ToDictionary(p => p.Name, p => (object?)p.Value, StringComparer.Ordinal),
        IDictionary<string, object?> other => new Dictionary<string, object?>(other, StringComparer.Ordinal),
        _ => throw new InvalidDataException($"A bot state document holds a {value.GetType().Name}, not a dictionary of properties."),
    };

    private static string ConversationKey(Microsoft.Bot.Schema.IActivity activity)
    {
        var channelId = activity?.ChannelId ?? throw new InvalidOperationException("Invalid activity: missing channelId.");
        var conversationId = activity.Conversation?.Id ?? throw new InvalidOperationException("Invalid activity: missing conversation.id.");
        return $"{channelId}/conversations/{conversationId}";
    }

    private static string? UserKey(Microsoft.Bot.Schema.IActivity activity) =>
        string.IsNullOrEmpty(activity.From?.Id) ? null : $"{activity.ChannelId}/users/{activity.From.Id}";

    private enum StateScope
    {
        Conversation,
        User,
    }

    /// <summary>The conversation and user documents of one turn.</summary>
    private sealed class TurnDocuments(Document conversation, Document? user)
    {
        public Document Conversation => conversation;

        public IEnumerable<Document> All => user is null ? [conversation] : [conversation, user];

        public Document Get(StateScope scope, Microsoft.Bot.Schema.IActivity activity) => scope switch
        {
            StateScope.Conversation => conversation,
            _ => user ?? throw new InvalidOperationException($"Invalid activity: missing from.id, so there is no user state (activity type {activity.Type})."),
        };
    }

    /// <summary>One stored document: its properties (live, typed objects) and the text they were read from or last saved as.</summary>
    private sealed class Document(string key, Dictionary<string, object?>? properties, string? text)
    {
        private bool _touched;

        public string Key => key;

        public Dictionary<string, object?> Properties { get; private set; } = properties ?? new(StringComparer.Ordinal);

        /// <summary>The document's text as stored; null when it is not stored.</summary>
        public string? Text { get; private set; } = text;

        public bool TryGet<T>(string name, out T value)
        {
            _touched = true; // the caller may change the object it gets
            if (Properties.TryGetValue(name, out var stored) && stored is not null && !(stored is JToken { Type: JTokenType.Null }))
            {
                // Where the stored JSON named no type (plain JSON, or a number that came back as a long) convert once
                // and keep the live object.
                value = stored is T typed ? typed : (stored as JToken ?? JToken.FromObject(stored)).ToObject<T>()!;
                Properties[name] = value;
                return true;
            }

            value = default!;
            return false;
        }

        public void Set(string name, object? value)
        {
            _touched = true;
            Properties[name] = value;
        }

        public void Delete(string name)
        {
            _touched = true;
            Properties.Remove(name);
        }

        /// <summary>Forgets the document: it has been deleted from storage.</summary>
        public void Clear()
        {
            Properties = new(StringComparer.Ordinal);
            Text = null;
            _touched = false;
        }

        /// <summary>Serialises a document this turn touched; its text when that differs from the stored one, else null.</summary>
        public string? SerializeIfChanged()
        {
            if (!_touched || (Text is null && Properties.Count == 0))
            {
                return null;
            }

            var text = StateJson.Serialize(Properties);
            return string.Equals(text, Text, StringComparison.Ordinal) ? null : text;
        }

        public void Saved(string text) => Text = text;
    }

    private sealed class PropertyAccessor<T>(StateStore store, StateScope scope, string name) : IStatePropertyAccessor<T>
    {
        public string Name { get; } = name ?? throw new ArgumentNullException(nameof(name));

        public async Task<T> GetAsync(ITurnContext turnContext, Func<T>? defaultValueFactory = null, CancellationToken cancellationToken = default)
        {
            var document = (await store.LoadAsync(turnContext, cancellationToken)).Get(scope, turnContext.Activity);
            if (document.TryGet<T>(Name, out var value))
            {
                return value;
            }

            if (defaultValueFactory is null)
            {
                return default!;
            }

            value = defaultValueFactory();
            document.Set(Name, value);
            return value;
        }

        public async Task SetAsync(ITurnContext turnContext, T value, CancellationToken cancellationToken = default)
        {
            var document = (await store.LoadAsync(turnContext, cancellationToken)).Get(scope, turnContext.Activity);
            document.Set(Name, value);
        }

        public async Task DeleteAsync(ITurnContext turnContext, CancellationToken cancellationToken = default)
        {
            var document = (await store.LoadAsync(turnContext, cancellationToken)).Get(scope, turnContext.Activity);
            document.Delete(Name);
        }
    }
}
