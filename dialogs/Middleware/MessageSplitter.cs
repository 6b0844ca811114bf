namespace ClinicBot.Dialogs.Middleware;

/// <summary>
/// Splits a long message into parts no longer than a channel's limit, cleanly: at the last paragraph break that
/// fits, else the last sentence end, else the last space; only a single unbroken run longer than the limit is
/// cut mid-word (never inside a surrogate pair). Parts are trimmed; no text other than whitespace is lost.
/// </summary>
public static class MessageSplitter
{
    public static IReadOnlyList<string> Split(string? text, int maxLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 2);
        if (string.IsNullOrEmpty(text) || text.Length <= maxLength)
        {
            return [text ?? string.Empty];
        }

        var parts = new List<string>();
        var rest = text.Trim();
        while (rest.Length > maxLength)
        {
            var cut = FindCut(rest, maxLength);
            var part = rest[..cut].TrimEnd();
            if (part.Length > 0)
            {
                parts.Add(part);
            }

            rest = rest[cut..].TrimStart();
        }

        if (rest.Length > 0)
        {
            parts.Add(rest);
        }

        return parts;
    }

    /// <summary>The length of the next part: a boundary within the first <paramref name="max"/> characters.</summary>
    private static int FindCut(string text, int max)
    {
        // A boundary too near the start would leave a stub of a part; prefer the next kind of boundary then.
        var minimum = max / 4;

        var paragraph = text.LastIndexOf("\n\n", max - 1, max, StringComparison.Ordinal);
        if (paragraph >= minimum)
        {
            return paragraph;
        }

        for (var i = max - 1; i >= minimum; i--)
        {
            if (char.IsWhiteSpace(text[i]) && i > 0 && text[i - 1] is '.' or '!' or '?' or '…')
            {
                return i;
            }
        }

        for (var i = max; i >= minimum; i--)
        {
            if (i < text.Length && char.IsWhiteSpace(text[i]))
            {
                return i;
            }
        }

        // One unbroken run: cut at the limit, but never between the halves of a surrogate pair.
        return char.IsHighSurrogate(text[max - 1]) ? max - 1 : max;
    }
}
