using System.Text.RegularExpressions;

namespace ClinicBot.Dialogs.Sentiment;

/// <summary>
/// A lexicon and pattern model: insults aimed at someone make a message abusive; wording, profanity, capitals
/// and repeated punctuation add up to frustration or anger. Quoted speech and pain idioms ("this is killing
/// me") are discounted, because a patient repeating what someone said, or describing pain, is not attacking
/// anyone. Tuned to never mistake a calm patient for an abusive one.
/// </summary>
public sealed partial class LexiconSentimentDetector : ISentimentDetector
{
    private const double AngryAt = 2.5;
    private const double FrustratedAt = 1.0;

    public SentimentReading Read(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return SentimentReading.Calm;
        }

        // What someone else said, quoted or reported, is not the patient's own attack.
        var own = Reported().Replace(Quoted().Replace(text, " "), " ");
        var lower = Normalize(own);

        if (DirectedInsult().IsMatch(lower) || InsultExclamation().IsMatch(lower) || DirectedProfanity().IsMatch(lower))
        {
            return new SentimentReading(Mood.Abusive, 1);
        }

        // Pain idioms ("this is killing me") and frustration with one's own recovery are not aimed at anyone.
        var aimed = AboutOwnCondition().Replace(PainIdiom().Replace(lower, " "), " ");

        var score = 2.5 * StrongAnger().Count(aimed)
            + 1.5 * Anger().Count(aimed)
            + 1.0 * Frustration().Count(aimed)
            + 1.0 * Sarcasm().Count(aimed)
            + 0.75 * Profanity().Count(aimed);

        // Capitals and repeated punctuation amplify what the words say; on their own, shouting reads as
        // frustration and "so happy!!" stays calm.
        var (shoutedWords, shoutingWholeMessage) = Shouting(own);
        if (score > 0)
        {
            score += Math.Min(2, shoutedWords) + (shoutingWholeMessage ? 1.5 : 0) + RepeatedPunctuation().Count(own);
        }
        else if (shoutingWholeMessage)
        {
            score = FrustratedAt;
        }

        var intensity = Math.Min(1, score / 6);
        return score >= AngryAt ? new SentimentReading(Mood.Angry, intensity)
            : score >= FrustratedAt ? new SentimentReading(Mood.Frustrated, intensity)
            : new SentimentReading(Mood.Calm, intensity);
    }

    private static string Normalize(string text) =>
        Obfuscated().Replace(text.ToLowerInvariant().Replace('\u2019', '\''), m => m.Value[0] switch
        {
            'f' => "fuck",
            's' => "shit",
            'a' => "ass",
            'b' => "bitch",
            _ => m.Value,
        });

    /// <summary>Words in capitals (three letters or more, acronyms aside), and whether most of the message is shouted.</summary>
    private static (int Words, bool WholeMessage) Shouting(string text)
    {
        // Runs on every patient message: counts over the matches in place rather than listing them.
        var words = 0;
        var shouted = 0;
        foreach (var match in Words().EnumerateMatches(text))
        {
            if (match.Length < 3)
            {
                continue;
            }

            words++;
            var word = text.AsSpan(match.Index, match.Length);
            if (IsAllUpper(word) && !AcronymLookup.Contains(word))
            {
                shouted++;
            }
        }

        return (shouted, shouted >= 3 && shouted * 2 >= words);
    }

    private static bool IsAllUpper(ReadOnlySpan<char> word)
    {
        foreach (var c in word)
        {
            if (!char.IsUpper(c))
            {
                return false;
            }
        }

        return true;
    }

    private static readonly HashSet<string> Acronyms = ["ACL", "MCL", "PCL", "MRI", "PPO", "HMO", "HSA", "FSA", "USA", "ASAP", "COVID", "ADHD", "TMJ", "BCBS", "EOB"];

    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> AcronymLookup = Acronyms.GetAlternateLookup<ReadOnlySpan<char>>();

    [GeneratedRegex("\"[^\"]{1,200}\"|“[^”]{1,200}”|(?<!\\w)'[^']{8,200}'(?!\\w)")]
    private static partial Regex Quoted();

    [GeneratedRegex(@"\b(called|calls|calling|call)\s+(me|him|her|them|us|my\s+\w+)\s+(an?\s+)?\w+(\s+\w+)?|\b(he|she|they|someone|somebody|my\s+\w+)\s+(said|says|told\s+me|yelled|wrote)\b[^.!?]*", RegexOptions.IgnoreCase)]
    private static partial Regex Reported();

    [GeneratedRegex(@"\b(f[\*\.\#\$@!]{1,3}c?k|f[\*\.\#\$@!]{2,4}|sh[\*\.\#\$@!]t|s[\*\.\#\$@!]{2,3}t|a[\*\.\#\$@!]{2}|b[\*\.\#\$@!]{3}h)", RegexOptions.IgnoreCase)]
    private static partial Regex Obfuscated();

    /// <summary>An insult with a target: "you're an idiot", "your staff are morons", "stupid bot".</summary>
    [GeneratedRegex(@"\b(you|u|ur|ya|you\s+people|you\s+guys|y'?all|this\s+bot|your\s+(staff|people|receptionists?|therapists?|front\s+desk|clinic|employees|team|workers))\s*(are|r|'re|re|is)?\s+(all\s+)?(just\s+)?(an?\s+|such\s+an?\s+|so\s+|the\s+most\s+|a\s+bunch\s+of\s+)?((fucking|fuckin|freaking|damn|absolute|complete|total|bloody|incompetent|stupid|useless|worthless|pathetic|dumb)\s+)*(idiots?|stupid|useless|morons?|incompetent|worthless|pathetic|dumb|retarded|imbeciles?|clowns?|losers?|garbage|trash|scum|bitch(es)?|assholes?|jerks?|jokes?|pieces?\s+of\s+(shit|crap|garbage)|dumbass(es)?|dipshits?|excuse\s+for)\b|\b(stupid|useless|idiot|dumb|worthless|fucking|pathetic|shit|shitty|crap|trash|garbage)\s+(bot|robot|machine|people|staff|receptionists?|clinic|therapists?)\b|\b(screw|fuck|damn)\s+(you|u|off|this\s+bot|your\s+clinic)\b|\bshut\s+(up|the\s+fuck\s+up)\b|\bgo\s+to\s+hell\b|\bstfu\b|\bkiss\s+my\s+ass\b|\beat\s+shit\b", RegexOptions.IgnoreCase)]
    private static partial Regex DirectedInsult();

    /// <summary>"What an idiot you are", "such morons you people are".</summary>
    [GeneratedRegex(@"\b(what|such)\s+(an?\s+)?((fucking|fuckin|stupid|complete|total)\s+)*(idiots?|morons?|clowns?|losers?|jerks?|imbeciles?)\s+(you|u)\s*(are|r|'re|people|guys)?\b", RegexOptions.IgnoreCase)]
    private static partial Regex InsultExclamation();

    [GeneratedRegex(@"\b(you|u)\s+(fucking|fuckin|damn|stupid)\s+\w+|\bfuck(ing)?\s+(off|you|u)\b", RegexOptions.IgnoreCase)]
    private static partial Regex DirectedProfanity();

    [GeneratedRegex(@"\b(is|are|it'?s|been|keeps|kept)\s+killing\s+me\b|\bkilling\s+me\s+(with\s+)?(pain|today|lately)\b|\b(pain|ache|aching)\s+is\s+(killing|murdering)\s+me\b", RegexOptions.IgnoreCase)]
    private static partial Regex PainIdiom();

    /// <summary>"frustrated with how slow my recovery is", "fed up with my knee pain": about the body, not the clinic.</summary>
    [GeneratedRegex(@"\b(frustrated|frustrating|fed\s+up|sick\s+of|tired\s+of|annoyed|upset|disappointed)\s+(with|about|by|of)\s+(how\s+\w+\s+)?(my|this|the)\s+(\w+\s+)?(pain|knee|back|shoulder|hip|neck|ankle|recovery|progress|injury|healing|body|condition|leg|arm|exercises?)\b", RegexOptions.IgnoreCase)]
    private static partial Regex AboutOwnCondition();

    [GeneratedRegex(@"\b(ridiculous|unacceptable|outrageous|furious|livid|pissed|infuriating|infuriated|absurd|disgusting|disgraceful|disgrace|appalling|incompetent|unprofessional|scam|worst|bullshit|wtf|how\s+dare|sick\s+and\s+tired|never\s+going\s+back|never\s+coming\s+back|waste\s+of\s+(my\s+)?time|are\s+you\s+kidding|joke\s+of\s+a|what\s+a\s+joke|this\s+is\s+a\s+joke|your\s+(mistake|fault|screw\s*up)|what\s+the\s+(hell|heck|fuck))\b", RegexOptions.IgnoreCase)]
    private static partial Regex StrongAnger();

    [GeneratedRegex(@"\b(angry|terrible|horrible|awful|rude|insane|filthy|unbelievable|fed\s+up|sick\s+of|never\s+again|(speak|talk)\s+to\s+(a|the|your)\s+(manager|supervisor)|filing\s+a\s+complaint|(nobody|no\s+one)\s+(has\s+|ever\s+)?(called|calls|answered|answers|told|tells|cares|helped|came))\b", RegexOptions.IgnoreCase)]
    private static partial Regex Anger();

    [GeneratedRegex(@"\b(fuck|fucking|fuckin|shit|shitty|crap|crappy|damn|damned|goddamn|hell|bs|ffs|omfg)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Profanity();

    [GeneratedRegex(@"\b(frustrated|frustrating|annoyed|annoying|upset|disappointed|disappointing|irritated|irritating|confusing|confused|still\s+waiting|still\s+no|been\s+waiting|waiting\s+for\s+(ages|hours|days|weeks|over)|keep\s+(asking|telling|getting)|already\s+(told|asked|said|explained|answered)|asked\s+(two|three|four|five|\d+|several|multiple|many)\s+times|(second|third|fourth|fifth)\s+time|again\?|not\s+helpful|doesn'?t\s+work|does\s+not\s+work|isn'?t\s+working|makes\s+no\s+sense|useless|pointless|hopeless|seriously|ugh+|come\s+on|how\s+hard\s+(is|can)\s+it|why\s+is\s+(it|this)\s+so\s+hard|can'?t\s+believe|no\s+response|nobody|no\s+one|on\s+hold|for\s+\d+\s+(minutes|mins|hours|days|weeks))\b", RegexOptions.IgnoreCase)]
    private static partial Regex Frustration();

    [GeneratedRegex(@"\b(oh\s+great|just\s+great|just\s+perfect|oh\s+perfect|thanks\s+for\s+nothing|great\s+job|nice\s+going|wonderful,?\s+another|yeah\s+right|sure\s+you\s+(are|do|will)|as\s+if|real\s+helpful|so\s+helpful|very\s+helpful\s+not)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Sarcasm();

    [GeneratedRegex(@"[!?]{2,}")]
    private static partial Regex RepeatedPunctuation();

    [GeneratedRegex(@"\p{L}+")]
    private static partial Regex Words();
}
