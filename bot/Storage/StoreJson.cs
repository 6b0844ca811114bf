using System.Text.Json;
using System.Text.Json.Serialization;

namespace ClinicBot.Bot.Storage;

/// <summary>How domain records (follow-ups, handoffs, cases) are written to any store.</summary>
public static class StoreJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}
