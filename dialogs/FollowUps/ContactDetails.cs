using System.Net.Mail;
using System.Text.RegularExpressions;

namespace ClinicBot.Dialogs.FollowUps;

/// <summary>Reads an email address or phone number a patient leaves for a callback.</summary>
public static partial class ContactDetails
{
    public static bool TryParse(string? text, out string? email, out string? phone)
    {
        email = null;
        phone = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var emailMatch = EmailCandidate().Match(text);
        if (emailMatch.Success && MailAddress.TryCreate(emailMatch.Value, out var address) && address.Host.Contains('.', StringComparison.Ordinal))
        {
            email = address.Address;
        }

        var phoneMatch = PhoneCandidate().Match(text);
        if (phoneMatch.Success)
        {
            var digits = new string(phoneMatch.Value.Where(char.IsDigit).ToArray());
            if (digits.Length == 11 && digits[0] == '1')
            {
                digits = digits[1..];
            }

            if (digits.Length == 10 && digits[0] is not ('0' or '1'))
            {
                phone = $"({digits[..3]}) {digits[3..6]}-{digits[6..]}";
            }
            else if (phoneMatch.Value.TrimStart().StartsWith('+') && digits.Length is >= 8 and <= 15)
            {
                phone = "+" + digits;
            }
        }

        return email is not null || phone is not null;
    }

    [GeneratedRegex(@"[^\s<>()\[\],;:""]+@[^\s<>()\[\],;:""]+", RegexOptions.CultureInvariant)]
    private static partial Regex EmailCandidate();

    [GeneratedRegex(@"\+?\d[\d\s().\-]{6,18}\d", RegexOptions.CultureInvariant)]
    private static partial Regex PhoneCandidate();
}
