using System.Buffers;
using Newtonsoft.Json;

namespace ClinicBot.Dialogs.State;

/// <summary>
/// Newtonsoft's character buffers from the shared array pool. Without a pool every JsonTextReader allocates its own
/// read buffer (and grows it for a long string), and every writer its escaping buffer: for the three JSON documents a
/// turn reads (the activity, two state documents), several kilobytes a turn.
/// </summary>
public sealed class PooledJsonBuffers : IArrayPool<char>
{
    public static PooledJsonBuffers Instance { get; } = new();

    private PooledJsonBuffers()
    {
    }

    public char[] Rent(int minimumLength) => ArrayPool<char>.Shared.Rent(minimumLength);

    public void Return(char[]? array)
    {
        if (array is not null)
        {
            ArrayPool<char>.Shared.Return(array);
        }
    }
}
