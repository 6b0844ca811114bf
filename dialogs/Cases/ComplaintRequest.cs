using System.Text.RegularExpressions;

namespace ClinicBot.Dialogs.Cases;

/// <summary>Recognises a patient telling us about a bad experience at the clinic (a complaint to act on).</summary>
public static partial class ComplaintRequest
{
    public static bool IsComplaint(string? text) => text is not null && Complaint().IsMatch(text);

    [GeneratedRegex(@"\b(complain|complaint|file\s+a\s+complaint|make\s+a\s+complaint)\w*\b|\bworst\s+(experience|service|clinic|visit|session|therapist|place)\b|\b(terrible|awful|horrible|bad|poor|disappointing)\s+(experience|service|visit|session|treatment|care)\b|\bnever\s+(going|coming)\s+back\b|\b(therapist|receptionist|staff|front\s+desk|doctor|physio|pt)\s+(was|were|is|are)\s+(so\s+|very\s+|really\s+)?(rude|late|unprofessional|dismissive|disrespectful|condescending)\b|\brushed\s+(my|the|through\s+my|through\s+the)\s+(session|appointment|visit|treatment)\b|\b(session|appointment|visit)\s+(felt|was)\s+(so\s+|very\s+)?rushed\b|\b(was|were)\s+\d+\s+(min|mins|minutes)\s+late\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Complaint();
}
