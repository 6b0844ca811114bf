using System.Text.RegularExpressions;

namespace ClinicBot.Dialogs.Conversation;

/// <summary>
/// Spots a question about the patient's own case ("my son has a dislocated elbow, do you treat that?"). A
/// general FAQ answer may be related but cannot settle it, so the bot confirms, shares what it knows in
/// general, and finds out the rest instead of answering as if the FAQ covered it.
/// </summary>
public static partial class PersonalSituation
{
    public static bool IsDescribed(string? text) =>
        !string.IsNullOrWhiteSpace(text)
        && (FamilyMemberCondition().IsMatch(text) || OwnInjury().IsMatch(text) || OwnCondition().IsMatch(text) || BodyPartCondition().IsMatch(text));

    [GeneratedRegex(@"\b(my|our)\s+(?:\w+\s+)?(son|daughter|child|kid|kids|baby|toddler|teen|teenager|husband|wife|partner|boyfriend|girlfriend|mom|mother|dad|father|parent|grandma|grandmother|grandpa|grandfather|brother|sister|friend)\b[^.?!]{0,60}?\b(has|had|have|is|was|got|hurt|injured|broke|tore|sprained|dislocated|fractured|needs)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex FamilyMemberCondition();

    [GeneratedRegex(@"\b(i|i've|ive|i'm|im|i\s+just)\s+(hurt|injured|broke|tore|sprained|dislocated|fractured|strained|pulled|twisted|was\s+diagnosed|got\s+diagnosed|had\s+surgery|have\s+surgery|am\s+recovering|recovering)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex OwnInjury();

    [GeneratedRegex(@"\b(i\s+have|i've\s+got|ive\s+got|i\s+had|i've\s+had|ive\s+had)\b[^.?!]{0,30}?\b(injury|tear|torn|fracture|sprain|strain|dislocation|surgery|replacement|condition|diagnosis|hernia|arthritis|tendinitis|tendonitis|sciatica|concussion|scoliosis|bursitis|plantar|whiplash)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex OwnCondition();

    [GeneratedRegex(@"\bmy\s+(knee|back|shoulder|hip|ankle|neck|elbow|wrist|foot|feet|leg|arm|hand|hamstring|achilles|acl|mcl|meniscus|rotator\s+cuff)s?\b[^.?!]{0,40}?\b(is|was|has|got|hurts|hurt|injured|broke|broken|torn|tore|swollen|replaced|surgery|dislocated|sprained|operated)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex BodyPartCondition();
}
