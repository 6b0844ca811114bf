using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace ClinicBot.Bot.DirectLine;

/// <summary>
/// User ids of built-in Direct Line conversations. Ids a browser proposes are namespaced <c>visitor:</c> and
/// ids a signed portal token vouches for <c>patient:</c>, so a browser can never claim a verified patient's
/// id (and with it their remembered profile) by naming it.
/// </summary>
public static partial class DirectLineUsers
{
    public const string VisitorPrefix = "visitor:";
    public const string PatientPrefix = "patient:";

    /// <summary>A visitor id: the browser's own id when it is well formed, otherwise a random one.</summary>
    public static string Visitor(string? proposedId) =>
        VisitorPrefix + (proposedId is not null && IdPattern().IsMatch(proposedId) ? proposedId : Random());

    public static string Patient(string verifiedPatientId) => PatientPrefix + verifiedPatientId;

    public static bool IsWellFormed(string? id) => id is not null && IdPattern().IsMatch(id);

    private static string Random() => "v-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();
}
