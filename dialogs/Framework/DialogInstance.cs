namespace ClinicBot.Dialogs.Framework;

/// <summary>One entry of the dialog stack: the dialog's id and its persisted state.</summary>
/// <remarks>
/// The state is plain JSON-friendly data. After a storage round trip values come back as
/// <c>long</c>, <c>double</c>, <c>string</c>, <c>bool</c>, <c>JObject</c> or <c>JArray</c>,
/// so read them with <see cref="StateDictionaryExtensions.GetValue{T}(IDictionary{string, object?}, string)"/>.
/// </remarks>
public sealed class DialogInstance
{
    /// <summary>Gets or sets the id of the dialog this instance belongs to.</summary>
    public string Id { get; set; } = string.Empty;

    /// <summary>Gets or sets the dialog's persisted state.</summary>
    public Dictionary<string, object?> State { get; set; } = new(StringComparer.Ordinal);
}
