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

        if (DirectedInsult().IsMatch(lower) || DirectedProfanity().IsMatch(lower))
        {
            return new SentimentReading(Mood.Abusive, 1);
        }

        // "this is killing me", "my back is killing me": pain, not anger.
        var withoutPain = PainIdiom().Replace(lower, " ");

        var score = 0.0;
        score += 1.5 * StrongAnger().Count(withoutPain);
        score += 1.0 * Profanity().Count(withoutPain);
        score += 0.75 * Frustration().Count(withoutPain);
        score += 0.5 * Sarcasm().Count(withoutPain);
        score += RepeatedPunctuation().Count(own) * 0.75;
        score += Shouting(own);

        if (score >= AngryAt)
        {
            return new SentimentReading(Mood.Angry, Math.Min(1, score / 6));
        }

        return score >= FrustratedAt
            ? new SentimentReading(Mood.Frustrated, Math.Min(1, score / 6))
            : new SentimentReading(Mood.Calm, score / 6);
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

    /// <summary>Words in capitals (three or more letters, at least three of them) read as shouting.</summary>
    private static double Shouting(string text)
    {
        var words = Words().Matches(text).Select(m => m.Value).Where(w => w.Length >= 3).ToList();
        var shouted = words.Count(w => w.All(c => !char.IsLetter(c) || char.IsUpper(c)) && !Acronyms.Contains(w));
        if (shouted >= 3 && shouted * 2 >= words.Count)
        {
            return 1.5;
        }

        return shouted >= 1 && words.Count > 3 ? 0.5 * Math.Min(shouted, 2) : 0;
    }

    private static readonly HashSet<string> Acronyms = ["ACL", "MCL", "PCL", "MRI", "PPO", "HMO", "HSA", "FSA", "USA", "ASAP", "COVID", "ADHD", "TMJ", "BCBS", "EOB"];

    [GeneratedRegex("\"[^\"]{1,200}\"|“[^”]{1,200}”|'[^']{8,200}'")]
    private static partial Regex Quoted();

    [GeneratedRegex(@"\b(called|calls|calling|call)\s+(me|him|her|them|us|my\s+\w+)\s+(an?\s+)?\w+(\s+\w+)?|\b(he|she|they|someone|somebody|my\s+\w+)\s+(said|says|told\s+me|yelled|wrote)\b[^.!?]*", RegexOptions.IgnoreCase)]
    private static partial Regex Reported();

    [GeneratedRegex(@"\b(f[\*\.\#\$@!]{1,3}c?k|f[\*\.\#\$@!]{2,4}|sh[\*\.\#\$@!]t|s[\*\.\#\$@!]{2,3}t|a[\*\.\#\$@!]{2}|b[\*\.\#\$@!]{3}h)", RegexOptions.IgnoreCase)]
    private static partial Regex Obfuscated();

    [GeneratedRegex(@"\b(you|u|ur|ya|your\s+staff|your\s+people|this\s+bot|you\s+guys|y'?all)\s*(are|r|'re|re|is)?\s*(an?\s+|such\s+an?\s+|so\s+|the\s+most\s+)?(fucking\s+|fuckin\s+|freaking\s+|damn\s+|absolute\s+|complete\s+|total\s+|bloody\s+)?(idiots?|stupid|useless|morons?|incompetent|worthless|pathetic|dumb|retarded|imbeciles?|clowns?|losers?|garbage|trash|scum|bitch(es)?|assholes?|jerks?|jokes?|pieces?\s+of\s+(shit|crap|garbage)|dumbass(es)?|dipshits?)\b|\b(stupid|useless|idiot|dumb|worthless|fucking|pathetic|shit|shitty|crap|trash|garbage)\s+(bot|robot|machine|people|staff|receptionists?|clinic|therapists?)\b|\b(screw|fuck|damn)\s+(you|u|off|this\s+bot|your\s+clinic)\b|\bshut\s+(up|the\s+fuck\s+up)\b|\bgo\s+to\s+hell\b|\bstfu\b|\bkiss\s+my\s+ass\b|\beat\s+shit\b", RegexOptions.IgnoreCase)]
    private static partial Regex DirectedInsult();

    [GeneratedRegex(@"\b(you|u)\s+(fucking|fuckin|damn|stupid)\s+\w+|\bfuck(ing)?\s+(off|you|u)\b", RegexOptions.IgnoreCase)]
    private static partial Regex DirectedProfanity();

    [GeneratedRegex(@"\b(is|are|it'?s|been|keeps|kept)\s+killing\s+me\b|\bkilling\s+me\s+(with\s+)?(pain|today|lately)\b|\b(pain|ache|aching)\s+is\s+(killing|murdering)\s+me\b", RegexOptions.IgnoreCase)]
    private static partial Regex PainIdiom();

    [GeneratedRegex(@"\b(ridiculous|unacceptable|outrageous|furious|livid|pissed|angry|infuriating|absurd|insane|disgusting|disgraceful|appalling|horrible|terrible|worst|awful|incompetent|unprofessional|rude|scam|fed\s+up|sick\s+of|sick\s+and\s+tired|never\s+again|never\s+coming\s+back|waste\s+of\s+(my\s+)?time|how\s+dare|are\s+you\s+kidding|joke\s+of\s+a|what\s+a\s+joke|this\s+is\s+a\s+joke|nobody\s+(has\s+)?(called|answered|told|cares|helped)|no\s+one\s+(has\s+)?(called|answered|told|cares|helped))\b", RegexOptions.IgnoreCase)]
    private static partial Regex StrongAnger();

    [GeneratedRegex(@"\b(fuck|fucking|fuckin|shit|shitty|crap|crappy|damn|damned|goddamn|hell|bullshit|bs|wtf|ffs|omfg|pissed)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Profanity();

    [GeneratedRegex(@"\b(frustrated|frustrating|annoyed|annoying|upset|disappointed|disappointing|irritated|irritating|confusing|confused|still\s+waiting|been\s+waiting|waiting\s+for\s+(ages|hours|over)|keep\s+(asking|telling|getting)|already\s+(told|asked|said|explained)|again\??!|not\s+helpful|doesn'?t\s+work|does\s+not\s+work|isn'?t\s+working|useless|pointless|hopeless|seriously|ugh+|come\s+on|how\s+hard\s+(is|can)\s+it|why\s+is\s+(it|this)\s+so\s+hard|can'?t\s+believe|no\s+response|nobody|no\s+one|hours?\s+on\s+hold|on\s+hold|for\s+\d+\s+(minutes|mins|hours|days|weeks))\b", RegexOptions.IgnoreCase)]
    private static partial Regex Frustration();

    [GeneratedRegex(@"\b(oh\s+great|just\s+great|just\s+perfect|oh\s+perfect|thanks\s+for\s+nothing|great\s+job|nice\s+going|wonderful,?\s+another|yeah\s+right|sure\s+you\s+(are|do|will)|as\s+if|real\s+helpful|so\s+helpful|very\s+helpful\s+not)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Sarcasm();

    [GeneratedRegex(@"[!?]{2,}|!\?|\?!")]
    private static partial Regex RepeatedPunctuation();

    [GeneratedRegex(@"\p{L}+")]
    private static partial Regex Words();
}
