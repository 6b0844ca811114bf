using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace ClinicBot.Dialogs.Framework;

/// <summary>
/// Typed access to dialog state dictionaries whose values may have been through a plain JSON round trip
/// (so an <c>int</c> comes back as <c>long</c>, a POCO as <c>JObject</c>, a list as <c>JArray</c>).
/// </summary>
public static class StateDictionaryExtensions
{
    private static readonly JsonSerializer _serializer = JsonSerializer.Create(new JsonSerializerSettings
    {
        TypeNameHandling = TypeNameHandling.None,
        NullValueHandling = NullValueHandling.Include,
    });

    /// <summary>Reads <paramref name="key"/> as <typeparamref name="T"/>; returns <c>default</c> when missing or null.</summary>
    /// <typeparam name="T">The CLR type to read the value as.</typeparam>
    /// <param name="state">The state dictionary.</param>
    /// <param name="key">The key to read.</param>
    /// <returns>The converted value, or <c>default</c>.</returns>
    public static T? GetValue<T>(this IDictionary<string, object?> state, string key)
        => state.TryGetValue(key, out var value) ? ConvertValue<T>(value) : default;

    /// <summary>Reads <paramref name="key"/> as <typeparamref name="T"/>; returns <paramref name="defaultValue"/> when missing or null.</summary>
    /// <typeparam name="T">The CLR type to read the value as.</typeparam>
    /// <param name="state">The state dictionary.</param>
    /// <param name="key">The key to read.</param>
    /// <param name="defaultValue">Returned when the key is missing or holds null.</param>
    /// <returns>The converted value, or <paramref name="defaultValue"/>.</returns>
    public static T GetValue<T>(this IDictionary<string, object?> state, string key, T defaultValue)
        => state.TryGetValue(key, out var value) && !IsNull(value) ? ConvertValue<T>(value) ?? defaultValue : defaultValue;

    /// <summary>
    /// Reads <paramref name="key"/> as <typeparamref name="T"/>, creating it with <paramref name="factory"/> when missing,
    /// and stores the typed object back so later mutations of the returned object are persisted.
    /// </summary>
    /// <typeparam name="T">A reference type that serializes to JSON.</typeparam>
    /// <param name="state">The state dictionary.</param>
    /// <param name="key">The key to read.</param>
    /// <param name="factory">Creates the value when it is missing.</param>
    /// <returns>The live, typed value held in the dictionary.</returns>
    public static T GetOrAdd<T>(this IDictionary<string, object?> state, string key, Func<T> factory)
        where T : class
    {
        if (state.TryGetValue(key, out var value) && value is T typed)
        {
            return typed;
        }

        var result = (IsNull(value) ? null : ConvertValue<T>(value)) ?? factory();
        state[key] = result;
        return result;
    }

    /// <summary>Converts a value read from state (CLR object or JSON token) to <typeparamref name="T"/>.</summary>
    /// <typeparam name="T">The target type.</typeparam>
    /// <param name="value">The raw value.</param>
    /// <returns>The converted value, or <c>default</c> when <paramref name="value"/> is null.</returns>
    public static T? ConvertValue<T>(object? value)
    {
        if (IsNull(value))
        {
            return default;
        }

        if (value is T typed)
        {
            return typed;
        }

        var token = value as JToken ?? JToken.FromObject(value!, _serializer);
        return token.ToObject<T>(_serializer);
    }

    private static bool IsNull(object? value) => value is null || (value is JToken token && token.Type == JTokenType.Null);
}
