using System.Globalization;
using System.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace ClinicBot.Dialogs.State;

/// <summary>
/// The one JSON form of stored bot state: Newtonsoft.Json with type names, as Bot Builder's <c>MemoryStorage</c>
/// writes it, so documents read back as the CLR types that were written, and state written by Bot Builder's
/// <c>BotState</c> and by ClinicBot read back in either.
/// </summary>
/// <remarks>
/// <para>Two differences from <c>MemoryStorage</c> (<c>TypeNameHandling.All</c>), both for speed, neither visible to a
/// reader: a type name is written only where the declared type does not already say it (the document itself, values
/// in <c>object</c> slots), not on every object and list; and null members are left out (no state type gives a
/// nullable member a non-null default). The conversation document in the middle of a confirmation prompt shrank from 4.5 KB to 2.1 KB, and
/// reading and writing type names was most of the cost of state.</para>
/// <para>Type names are only ever read from ClinicBot's own store (an owner-only file or the clinic's own Cosmos DB
/// account), the same trust model <c>MemoryStorage</c> has for its in-process dictionary.</para>
/// </remarks>
public static class StateJson
{
#pragma warning disable CA2326, CA2327 // TypeNameHandling: required for Bot Builder state to round-trip; see remarks.
    private static readonly JsonSerializer Serializer = new()
    {
        TypeNameHandling = TypeNameHandling.Auto,
        ReferenceLoopHandling = ReferenceLoopHandling.Error,
        NullValueHandling = NullValueHandling.Ignore,
        SerializationBinder = new StateTypeNames(),

        // The binder names every type, already in the simple form; Full has Newtonsoft write that name as it is instead
        // of stripping assembly details from it again (a builder and a string per type name written).
        TypeNameAssemblyFormatHandling = TypeNameAssemblyFormatHandling.Full,
    };
#pragma warning restore CA2326, CA2327

    // A document is written into this thread's builder, then copied out once as the stored string.
    [ThreadStatic]
    private static StringBuilder? t_builder;

    private const int MaxKeptBuilderCapacity = 64 * 1024;

    /// <summary>Serialises a state document; only JSON objects are documents.</summary>
    public static string Serialize(object value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var builder = t_builder ?? new StringBuilder(1024);
        t_builder = null; // a serialisation nested in this one (a converter) gets its own
        string document;
        try
        {
            using (var writer = new JsonTextWriter(new StringWriter(builder, CultureInfo.InvariantCulture)) { Formatting = Formatting.None, ArrayPool = PooledJsonBuffers.Instance })
            {
                // Declared as object, so the document itself carries its type name (Auto leaves out only what is implied).
                Serializer.Serialize(writer, value, typeof(object));
            }

            document = builder.ToString();
        }
        finally
        {
            if (builder.Capacity <= MaxKeptBuilderCapacity)
            {
                builder.Clear();
                t_builder = builder;
            }
        }

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
        using var reader = new JsonTextReader(new StringReader(document)) { DateParseHandling = DateParseHandling.None, ArrayPool = PooledJsonBuffers.Instance };
        return Serializer.Deserialize<T>(reader) ?? throw new InvalidDataException("A bot state document is null.");
    }

    /// <summary>Converts a value to a JSON object tree in this form (type names included).</summary>
    public static JObject ToJObject(object value)
    {
        using var reader = new JsonTextReader(new StringReader(Serialize(value))) { DateParseHandling = DateParseHandling.None };
        return JObject.Load(reader);
    }
}
