using CsCheck;
using Newtonsoft.Json.Linq;

namespace ClinicBot.Tests.Fuzzing;

/// <summary>Generators of hostile request bodies: random JSON, wrong types, huge strings, deep nesting, odd unicode, mutated valid activities.</summary>
internal static class FuzzInputs
{
    private static readonly string[] OddStrings =
    [
        string.Empty, " ", "\u0000", "\uFEFF", "\uD800", "\uDC00x", "🙂👨‍👩‍👧", "\u202Eevil", "<script>alert(1)</script>", "'; DROP TABLE bot_state; --",
        "../../etc/passwd", "${jndi:ldap://x}", "%s%s%n", "NaN", "-0", "1e309", "null", "{", "\"", "\\", "message", "event", "invoke",
        "http://127.0.0.1:1/", "https://", "javascript:alert(1)", "urn:clinicbot:directline", new string('x', 70_000),
    ];

    public static readonly Gen<string> Text = Gen.Frequency(
        (4, Gen.String),
        (2, Gen.OneOf(OddStrings)),
        (1, Gen.Char.Array[0, 3000].Select(chars => new string(chars))),
        (1, Gen.Int[0, 400_000].Select(n => new string('é', n))));

    private static readonly Gen<JToken> Leaf = Gen.Frequency<JToken>(
        (3, Text.Select(s => (JToken)new JValue(s))),
        (1, Gen.Long.Select(l => (JToken)new JValue(l))),
        (1, Gen.Double.Select(d => double.IsFinite(d) ? (JToken)new JValue(d) : new JValue(0))),
        (1, Gen.Bool.Select(b => (JToken)new JValue(b))),
        (1, Gen.Const<JToken>(JValue.CreateNull())));

    public static readonly Gen<JToken> Json = Gen.Recursive<JToken>((depth, inner) => depth >= 4 ? Leaf : Gen.Frequency(
        (4, Leaf),
        (1, inner.Array[0, 4].Select(items => (JToken)new JArray(items))),
        (2, Gen.Select(Text.Array[0, 4], inner.Array[4]).Select((keys, values) =>
        {
            var o = new JObject();
            for (var i = 0; i < keys.Length; i++)
            {
                o[keys[i].Length > 200 ? keys[i][..200] : keys[i]] = values[i];
            }

            return (JToken)o;
        }))));

    private static readonly string[] ActivityFields =
    [
        "type", "id", "channelId", "conversation", "from", "recipient", "serviceUrl", "text", "attachments", "timestamp", "value",
        "entities", "channelData", "membersAdded", "membersRemoved", "name", "replyToId", "locale", "suggestedActions", "speak",
    ];

    /// <summary>A valid activity with 1-4 fields replaced by random JSON (wrong types, huge strings, nesting...).</summary>
    public static Gen<string> MutatedActivity(Func<JObject> valid) =>
        Gen.Select(Gen.OneOf(ActivityFields).Array[1, 4], Json.Array[4], Gen.Bool).Select((fields, values, remove) =>
        {
            var activity = valid();
            for (var i = 0; i < fields.Length; i++)
            {
                if (remove && i == 0)
                {
                    activity.Remove(fields[i]);
                }
                else
                {
                    activity[fields[i]] = values[i];
                }
            }

            return activity.ToString(Newtonsoft.Json.Formatting.None);
        });

    /// <summary>Arrays or objects nested up to thousands deep.</summary>
    public static readonly Gen<string> DeepNesting = Gen.Select(Gen.Int[1, 5000], Gen.Bool).Select((depth, arrays) => arrays
        ? new string('[', depth) + new string(']', depth)
        : string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth));

    /// <summary>Any body: random JSON, random text, deep nesting, or a mutated valid activity.</summary>
    public static Gen<string> Body(Func<JObject> valid) => Gen.Frequency(
        (2, Json.Select(j => j.ToString(Newtonsoft.Json.Formatting.None))),
        (1, Text),
        (1, DeepNesting),
        (4, MutatedActivity(valid)));
}
