using System.Text.RegularExpressions;

namespace ClinicBot.Dialogs.Cases;

/// <summary>
/// A deliberately simple complaint check for page comments: negative phrases (and known complaint topics) outweigh
/// positive ones. Negated praise ("not great") counts as negative, negated criticism ("not bad") does not count.
/// Errs towards treating a comment as a complaint: a staff member looking at one comment too many costs little.
/// </summary>
public sealed partial class KeywordCommentTriage : ICommentTriage
{
    private static readonly string[] Negative =
    [
        "worst", "terrible", "awful", "horrible", "horrendous", "disgusting", "appalling", "pathetic", "useless",
        "rude", "unprofessional", "incompetent", "disrespectful", "dismissive", "never going back", "never again",
        "never coming back", "won't be back", "wont be back", "will not return", "avoid", "stay away", "scam", "rip off",
        "ripoff", "ripped off", "waste of", "disappointed", "disappointing", "unhappy", "not happy", "angry", "furious",
        "upset", "frustrated", "frustrating", "ridiculous", "unacceptable", "shameful", "bad", "poor", "nobody calls",
        "no one calls", "nobody called", "no one called", "never called", "never call", "no call back", "no callback",
        "ignored", "ignoring", "complain", "complaint", "charged twice", "double charged", "overcharged", "refund",
        "kept waiting", "waited for", "late", "rushed", "cancelled on me", "canceled on me", "hurt me", "injured",
    ];

    private static readonly string[] Positive =
    [
        "great", "amazing", "excellent", "wonderful", "fantastic", "awesome", "best", "love", "loved", "thank",
        "thanks", "recommend", "helpful", "friendly", "professional", "caring", "kind", "happy", "pleased", "good",
    ];

    private static readonly (string Topic, string[] Words)[] Topics =
    [
        ("billing", ["bill", "billing", "charged", "charge", "invoice", "refund", "insurance", "payment", "overcharged"]),
        ("no call back", ["nobody calls", "no one calls", "nobody called", "no one called", "never called", "never call", "no call back", "no callback", "call back", "callback"]),
        ("waiting time", ["late", "waited", "waiting", "kept waiting"]),
        ("staff conduct", ["rude", "unprofessional", "disrespectful", "dismissive", "incompetent", "rushed"]),
        ("scheduling", ["cancelled", "canceled", "appointment", "reschedule", "schedule"]),
    ];

    private static readonly string[] Serious = ["lawyer", "attorney", "sue", "suing", "lawsuit", "injured", "hurt me", "unsafe", "report you", "reported", "health department", "bbb"];

    public CommentAssessment Assess(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return CommentAssessment.NotAComplaint;
        }

        var normalized = " " + NonWord().Replace(text.ToLowerInvariant().Replace('’', '\''), " ") + " ";
        var negative = 0;
        var positive = 0;
        foreach (var phrase in Negative)
        {
            foreach (var at in Occurrences(normalized, phrase))
            {
                if (IsNegated(normalized, at))
                {
                    continue; // "not bad", "never rude"
                }

                negative++;
            }
        }

        foreach (var phrase in Positive)
        {
            foreach (var at in Occurrences(normalized, phrase))
            {
                if (IsNegated(normalized, at))
                {
                    negative++; // "not great", "not helpful"
                }
                else
                {
                    positive++;
                }
            }
        }

        if (negative == 0 || negative < positive)
        {
            return CommentAssessment.NotAComplaint;
        }

        var severity = Serious.Any(s => Occurrences(normalized, s).Any()) ? CaseSeverity.High : CaseSeverity.Medium;
        var topics = Topics.Where(t => t.Words.Any(w => Occurrences(normalized, w).Any())).Select(t => t.Topic).ToList();
        var summary = topics.Count == 0 ? "Negative comment on the Facebook page" : "Negative comment on the Facebook page: " + string.Join(", ", topics);
        return new CommentAssessment(true, severity, summary);
    }

    /// <summary>Start positions of a whole-word (or whole-phrase) match in the normalized text.</summary>
    private static IEnumerable<int> Occurrences(string normalized, string phrase)
    {
        var needle = " " + phrase + " ";
        for (var at = normalized.IndexOf(needle, StringComparison.Ordinal); at >= 0; at = normalized.IndexOf(needle, at + 1, StringComparison.Ordinal))
        {
            yield return at + 1;
        }
    }

    private static bool IsNegated(string normalized, int at)
    {
        var before = normalized[..at].TrimEnd();
        var lastWord = before[(before.LastIndexOf(' ') + 1)..];
        return lastWord is "not" or "never" or "isn't" or "wasn't" or "no" or "hardly" or "nothing"
            || before.EndsWith("not very", StringComparison.Ordinal) || before.EndsWith("not so", StringComparison.Ordinal);
    }

    [GeneratedRegex(@"[^\p{L}\p{N}']+")]
    private static partial Regex NonWord();
}
