using System.Collections.Concurrent;
using Microsoft.Bot.Builder;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace ClinicBot.Tests.Dialogs.Framework;

/// <summary>
/// An IStorage that keeps only JSON text, written with TypeNameHandling.None and read back as JObject,
/// like our SQLite/Cosmos stores. (MemoryStorage uses TypeNameHandling.All, which hides CLR type loss.)
/// </summary>
internal sealed class JsonRoundTripStorage : IStorage
{
    private static readonly JsonSerializerSettings _settings = new() { TypeNameHandling = TypeNameHandling.None };
    private readonly ConcurrentDictionary<string, string> _items = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, string> Json => _items;

    public Task<IDictionary<string, object>> ReadAsync(string[] keys, CancellationToken cancellationToken = default)
    {
        IDictionary<string, object> result = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var key in keys)
        {
            if (_items.TryGetValue(key, out var json))
            {
                // DateParseHandling.None keeps ISO dates as strings; the default (DateTime) would drop DateTimeOffset offsets.
                using var reader = new JsonTextReader(new StringReader(json)) { DateParseHandling = DateParseHandling.None };
                result[key] = JObject.Load(reader);
            }
        }

        return Task.FromResult(result);
    }

    public Task WriteAsync(IDictionary<string, object> changes, CancellationToken cancellationToken = default)
    {
        foreach (var (key, value) in changes)
        {
            _items[key] = JsonConvert.SerializeObject(value, _settings);
        }

        return Task.CompletedTask;
    }

    public Task DeleteAsync(string[] keys, CancellationToken cancellationToken = default)
    {
        foreach (var key in keys)
        {
            _items.TryRemove(key, out _);
        }

        return Task.CompletedTask;
    }
}
