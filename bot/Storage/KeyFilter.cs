namespace ClinicBot.Bot.Storage;

/// <summary>
/// A fixed-size Bloom filter over string keys: answers "certainly never added" or "maybe added". Safe for concurrent
/// adds and lookups. Keys cannot be removed; a filter that took far more keys than <see cref="Capacity"/> says "maybe"
/// more and more often, which costs its owner lookups, never correctness.
/// </summary>
internal sealed class KeyFilter
{
    private const int Hashes = 7;
    private readonly long[] _words;
    private readonly uint _bitMask;

    /// <param name="bitsLog2">The filter has 2^bitsLog2 bits (2^24: 2 MB).</param>
    public KeyFilter(int bitsLog2 = 24)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bitsLog2, 6);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(bitsLog2, 31);
        _words = new long[(1L << bitsLog2) / 64];
        _bitMask = (uint)((1L << bitsLog2) - 1);

        // With k = 7 hashes, m bits hold about m / 9.6 keys at a 1 % false-positive rate.
        Capacity = (int)((1L << bitsLog2) / 10);
    }

    /// <summary>About how many keys the filter holds at a false-positive rate of 1 %.</summary>
    public int Capacity { get; }

    public void Add(string key)
    {
        var (h1, h2) = Hash(key);
        for (uint i = 0; i < Hashes; i++)
        {
            var bit = (h1 + (i * h2)) & _bitMask;
            Interlocked.Or(ref _words[bit >> 6], 1L << (int)(bit & 63));
        }
    }

    /// <summary>False when <paramref name="key"/> was certainly never added.</summary>
    public bool MightContain(string key)
    {
        var (h1, h2) = Hash(key);
        for (uint i = 0; i < Hashes; i++)
        {
            var bit = (h1 + (i * h2)) & _bitMask;
            if ((Volatile.Read(ref _words[bit >> 6]) & (1L << (int)(bit & 63))) == 0)
            {
                return false;
            }
        }

        return true;
    }

    // FNV-1a over the UTF-16 code units, 64 bits, split into the two hashes of double hashing (the second one odd,
    // so the seven probes are distinct).
    private static (uint H1, uint H2) Hash(string key)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in key)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        hash ^= hash >> 29; // FNV's low bits mix poorly; fold the high ones in
        return ((uint)hash, (uint)(hash >> 32) | 1);
    }
}
