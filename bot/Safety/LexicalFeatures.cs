using System.Text;

namespace ClinicBot.Bot.Safety;

/// <summary>
/// The words of a message as hashed features (single words and pairs), read by the red-flag classifier beside the
/// sentence embedding. The embedding carries the meaning; these carry what it blurs: "lol", "jk", "but I'm fine",
/// "no ... just", a patient's own shorthand.
/// </summary>
internal static class LexicalFeatures
{
    /// <summary>Buckets the words are hashed into.</summary>
    public const int Buckets = 1 << 15;

    public static int[] Extract(string text)
    {
        var words = Words(text);
        var features = new HashSet<int>();
        for (var i = 0; i < words.Count; i++)
        {
            features.Add(Bucket(words[i], null));
            if (i > 0)
            {
                features.Add(Bucket(words[i - 1], words[i]));
            }
        }

        var result = features.ToArray();
        Array.Sort(result);
        return result;
    }

    private static List<string> Words(string text)
    {
        var words = new List<string>();
        var current = new StringBuilder();
        foreach (var c in text.Normalize(NormalizationForm.FormKC))
        {
            if (char.IsLetterOrDigit(c))
            {
                current.Append(char.ToLowerInvariant(c));
            }
            else if (c is '\'' or '\u2019')
            {
                // "don't" and "dont" are the same word to a patient typing fast.
            }
            else
            {
                Flush();
                if (char.IsSurrogate(c) || char.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.OtherSymbol)
                {
                    words.Add(c.ToString());
                }
            }
        }

        Flush();
        return words;

        void Flush()
        {
            if (current.Length > 0)
            {
                words.Add(current.ToString());
                current.Clear();
            }
        }
    }

    // FNV-1a: stable across processes and runtimes (string.GetHashCode is randomized per process).
    private static int Bucket(string first, string? second)
    {
        var hash = 2166136261u;
        foreach (var c in first)
        {
            hash = (hash ^ c) * 16777619u;
        }

        if (second is not null)
        {
            hash = (hash ^ ' ') * 16777619u;
            foreach (var c in second)
            {
                hash = (hash ^ c) * 16777619u;
            }
        }

        return (int)(hash % Buckets);
    }
}
