using System.Globalization;
using System.Text;

namespace ClinicBot.Dialogs.Framework;

/// <summary>Lower-cases text, drops apostrophes and turns other punctuation into spaces, so "That's right!" becomes "thats right".</summary>
internal static class TextNormalizer
{
    public static string Normalize(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return string.Empty;
        }

        var builder = new StringBuilder(text.Length);
        var pendingSpace = false;
        foreach (var c in text.Normalize(NormalizationForm.FormKC))
        {
            if (c is '\'' or '\u2019' or '\u2018' or '`')
            {
                continue;
            }

            if (char.IsLetterOrDigit(c))
            {
                if (pendingSpace && builder.Length > 0)
                {
                    builder.Append(' ');
                }

                pendingSpace = false;
                builder.Append(char.ToLower(c, CultureInfo.InvariantCulture));
            }
            else
            {
                pendingSpace = true;
            }
        }

        return builder.ToString();
    }
}
