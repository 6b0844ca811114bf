using System.Globalization;
using Newtonsoft.Json;

namespace ClinicBot.Dialogs.State;

/// <summary>
/// The one JSON form of stored bot state: Bot Builder's own (<c>MemoryStorage</c>'s serializer in 4.23.1:
/// Newtonsoft.Json, <c>TypeNameHandling.All</c>, <c>ReferenceLoopHandling.Error</c>), so documents hold the CLR types
/// that were written and state written by Bot Builder's <c>BotState</c> reads back unchanged. One difference: null
/// members are left out, which reads back the same (no state type gives a nullable member a non-null default) and
/// keeps a prompt's stored activity from carrying its forty empty fields on every turn.
/// </summary>
/// <remarks>Type names are only ever read from ClinicBot's own store (an owner-only file or the clinic's own Cosmos DB
/// account), the same trust model <c>MemoryStorage</c> has for its in-process dictionary.</remarks>
public static class StateJson
{
#pragma warning disable CA2326, CA2327 // TypeNameHandling.All: required for Bot Builder state to round-trip; see remarks.
    private static readonly JsonSerializer Serializer = new()
    {
        TypeNameHandling = TypeNameHandling.All,
        ReferenceLoopHandling = ReferenceLoopHandling.Error,
        NullValueHandling = NullValueHandling.Ignore,
    };
#pragma warning restore CA2326, CA2327

    /// <summary>Serialises a state document; only JSON objects are documents.</summary>
    public static string Serialize(object value)
    {
        ArgumentNullException.ThrowIfNull(value);
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        using (var writer = new JsonTextWriter(text) { Formatting = Formatting.None })
        {
            Serializer.Serialize(writer, value);
        }

        var document = text.ToString();
        if (document.Length == 0 || document[0] != '{')
        {
            // Same rule as JObject.FromObject (and MemoryStorage): only objects are stored.
            throw new ArgumentException($"Object serialized to {(document.Length == 0 ? "nothing" : document[0] == '[' ? "Array" : "a value")}. JObject instance expected.");
        }

        return document;
    }

    /// <summary>Reads a state document back into the CLR types named in it (a JObject where it names none).</summary>
    public static object Deserialize(string document) => Deserialize<object>(document);

    /// <inheritdoc cref="Deserialize(string)"/>
    public static T Deserialize<T>(string document)
    {
        ArgumentNullException.ThrowIfNull(document);

        // DateParseHandling.None: text that looks like a date must come back as the same string (MemoryStorage never
        // re-parses text). Typed DateTime/DateTimeOffset members still deserialise from their ISO text; a DateTime
        // boxed in an object-typed slot comes back as its ISO string.
        using var reader = new JsonTextReader(new StringReader(document)) { DateParseHandling = DateParseHandling.None };
        return Serializer.Deserialize<T>(reader) ?? throw new InvalidDataException("A bot state document is null.");
    }

    /// <summary>Converts a value to a JSON object tree in this form (type names included).</summary>
    public static Newtonsoft.Json.Linq.JObject ToJObject(object value) => Newtonsoft.Json.Linq.JObject.FromObject(value, Serializer);
}
