using System.Globalization;
using System.Text.RegularExpressions;

namespace ClinicBot.Dialogs.Appointments;

/// <summary>Reads the full name and date of birth patients type to confirm who they are.</summary>
public static partial class PatientDetails
{
    private static readonly string[] Formats =
    [
        "M/d/yyyy", "MM/dd/yyyy", "M/d/yy", "M-d-yyyy", "MM-dd-yyyy", "yyyy-MM-dd", "M.d.yyyy",
        "MMMM d yyyy", "MMMM d, yyyy", "MMM d yyyy", "MMM d, yyyy", "d MMMM yyyy", "d MMM yyyy", "MMMM dd yyyy", "MMMM dd, yyyy",
    ];

    public static bool TryParseDateOfBirth(string? text, DateOnly today, out DateOnly dateOfBirth)
    {
        dateOfBirth = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var cleaned = Ordinal().Replace(text.Trim().TrimEnd('.'), "$1").Replace("  ", " ", StringComparison.Ordinal);
        if (!DateOnly.TryParseExact(cleaned, Formats, CultureInfo.GetCultureInfo("en-US"), DateTimeStyles.AllowWhiteSpaces, out var parsed))
        {
            return false;
        }

        // Two-digit years: a birth date is never in the future.
        if (parsed > today)
        {
            parsed = parsed.AddYears(-100);
        }

        if (parsed.Year < today.Year - 120)
        {
            return false;
        }

        dateOfBirth = parsed;
        return true;
    }

    /// <summary>Case, spacing and punctuation do not matter when names are compared.</summary>
    public static string NormalizeName(string name) =>
        string.Join(' ', NonLetters().Replace(name.ToLowerInvariant(), " ").Split(' ', StringSplitOptions.RemoveEmptyEntries));

    [GeneratedRegex(@"(\d{1,2})(st|nd|rd|th)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Ordinal();

    [GeneratedRegex(@"[^\p{L}]+")]
    private static partial Regex NonLetters();
}
