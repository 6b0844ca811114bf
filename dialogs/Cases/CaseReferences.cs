using System.Security.Cryptography;

namespace ClinicBot.Dialogs.Cases;

/// <summary>Human-readable case references: "C-" and five digits, easy to read out on the phone.</summary>
public static class CaseReferences
{
    public const string Prefix = "C-";

    /// <summary>A random reference; stores retry on the rare collision.</summary>
    public static string New() => Prefix + RandomNumberGenerator.GetInt32(10_000, 100_000).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>"c-24817", " C-24817 " and "C24817" all mean C-24817; null when it is not a reference.</summary>
    public static string? Normalize(string? text)
    {
        var trimmed = text?.Trim().ToUpperInvariant().Replace(" ", string.Empty, StringComparison.Ordinal);
        if (string.IsNullOrEmpty(trimmed) || trimmed[0] != 'C')
        {
            return null;
        }

        var digits = trimmed.TrimStart('C').TrimStart('-');
        return digits.Length == 5 && digits.All(char.IsAsciiDigit) ? Prefix + digits : null;
    }
}
