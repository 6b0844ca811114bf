using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Newtonsoft.Json.Serialization;

namespace ClinicBot.Dialogs.State;

/// <summary>
/// The <c>$type</c> names of <see cref="StateJson"/>, computed once per type. Newtonsoft's default binder leaves the
/// name to the serializer, which rebuilds it from the type's assembly-qualified name, character by character, for every
/// object it writes a type for: about a twelfth of what a dialog turn allocated. The names are the ones Newtonsoft
/// writes with <c>TypeNameAssemblyFormatHandling.Simple</c> (assembly versions, cultures and keys left out, at every
/// level of generic arguments), so stored documents do not change; reading binds as the default binder does. Used with
/// <c>TypeNameAssemblyFormatHandling.Full</c>, which writes a binder's name unchanged.
/// </summary>
internal sealed partial class StateTypeNames : ISerializationBinder
{
    private readonly DefaultSerializationBinder _default = new();
    private readonly ConcurrentDictionary<Type, string> _names = new();

    public Type BindToType(string? assemblyName, string typeName) => _default.BindToType(assemblyName, typeName);

    public void BindToName(Type serializedType, out string? assemblyName, out string? typeName)
    {
        assemblyName = null; // the serializer writes typeName as is when no assembly name is given
        typeName = _names.GetOrAdd(serializedType, SimpleName);
    }

    /// <summary>The assembly-qualified name without the <c>, Version=…</c>, <c>, Culture=…</c>, <c>, PublicKeyToken=…</c> parts.</summary>
    internal static string SimpleName(Type type) =>
        AssemblyDetails().Replace(type.AssemblyQualifiedName ?? throw new ArgumentException($"{type} has no assembly-qualified name.", nameof(type)), string.Empty);

    [GeneratedRegex(@", [A-Za-z]+=[^,\]]*")]
    private static partial Regex AssemblyDetails();
}
