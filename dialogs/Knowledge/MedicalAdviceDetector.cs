using System.Text.RegularExpressions;

namespace ClinicBot.Dialogs.Knowledge;

/// <summary>Why a message was judged to ask for medical advice.</summary>
public enum MedicalAdviceKind
{
    None = 0,

    /// <summary>Medication or dosing: "how much ibuprofen", "can I take Aleve before therapy".</summary>
    Medication,

    /// <summary>"Is this normal?", "should I be worried?".</summary>
    Normalcy,

    /// <summary>Diagnosis: "do I have tendonitis", "what's wrong with my knee", "is it torn".</summary>
    Diagnosis,

    /// <summary>A first-person symptom, usually with a request for what to do: "my knee hurts when I run, should I...".</summary>
    Symptom,

    /// <summary>A clinical decision: "do I need surgery", "should I go to the ER", "can you recommend a surgeon".</summary>
    TreatmentDecision,
}

/// <summary>
/// Recognises requests for medical advice so the bot never answers them from the FAQ (they go to a clinician).
/// Pure regular expressions over a small lexicon: predictable, fast, and easy to extend from a missed case.
/// Questions about the clinic's services ("do you treat knee pain?") are not medical advice.
/// </summary>
public sealed partial class MedicalAdviceDetector
{
    private const RegexOptions Options = RegexOptions.IgnoreCase | RegexOptions.CultureInvariant;

    // Named drugs and remedies: mentioning one is enough (outside a services question).
    private const string NamedMedications =
        @"ibuprofen|advil|motrin|tylenol|acetaminophen|paracetamol|aleve|naproxen|aspirin|excedrin|meloxicam|mobic|celebrex|celecoxib|"
        + @"diclofenac|voltaren|biofreeze|icy ?hot|lidocaine|cbd|muscle relaxers?|muscle relaxants?|flexeril|cyclobenzaprine|gabapentin|"
        + @"lyrica|prednisone|steroids?|cortisone|opioids?|oxycodone|hydrocodone|vicodin|percocet|norco|tramadol|codeine|morphine|"
        + @"blood thinners?|warfarin|eliquis|xarelto|antibiotics?|painkillers?|pain ?killers?|pain meds?|pain medications?|pain pills?|"
        + @"turmeric|glucosamine|anti-?inflammatories|anti-?inflammatory|nsaids?";

    // Generic words ("bring my medication list") count only inside a dosing or "can I take" question.
    private const string Medications = NamedMedications + @"|meds|medications?|medicines?|pills?|tablets?|supplements?";

    private const string BodyParts =
        @"knees?|backs?|lower back|neck|shoulders?|hips?|ankles?|foot|feet|heels?|toes?|wrists?|hands?|fingers?|thumbs?|elbows?|arms?|legs?|"
        + @"calf|calves|hamstrings?|quads?|thighs?|groin|glutes?|butt|spine|jaw|head|ribs?|chest|acl|mcl|meniscus|rotator cuff|achilles|"
        + @"tendons?|ligaments?|muscles?|joints?|incision|scar|stitches|disc|nerve";

    private const string Symptoms =
        @"hurts?|hurting|hurted|pain|painful|ache|aches|aching|achy|sore|soreness|swell|swells|swelling|swollen|numb|numbness|tingl\w*|"
        + @"burn|burns|burning|stiff|stiffness|bruis\w*|click\w*|pop|pops|popping|popped|throb\w*|sharp|shooting|dizzy|dizziness|spinning|"
        + @"cramp\w*|weak|weakness|gave out|gives out|giving out|locks? up|locked up|killing me|spasm\w*|red and hot|warm to the touch|"
        + @"bleed\w*|oozing|pus|can'?t (?:bend|straighten|walk|move|put weight|sleep|lift)";

    private const string Conditions =
        @"tear|torn|tore|fracture\w*|broken|break|sprain\w*|strain\w*|tendonitis|tendinitis|tendinosis|arthritis|sciatica|herniat\w*|"
        + @"bulging disc|slipped disc|pinched nerve|plantar fasciitis|carpal tunnel|concussion|infection|infected|blood clot|dvt|bursitis|"
        + @"impingement|frozen shoulder|stress fracture|shin splints|osteoporosis|scoliosis|tennis elbow|golfer'?s elbow|whiplash|"
        + @"dislocat\w*|separated shoulder|labral|labrum|meniscus tear|acl tear|rotator cuff tear|neuropathy|nerve damage|bpvv?|"
        + @"something (?:serious|wrong|broken)|cancer|tumou?r|gout";

    // Services frame: the patient asks what the clinic does, not what they should do.
    [GeneratedRegex(@"\b(?:do|can|does|could) (?:you|u|y'?all|ya|your (?:clinic|therapists?|team|staff|office|pts?)|riverside|anyone there|any of your therapists)\s+(?:guys\s+)?(?:treat|help|work|see|handle|do|offer|specialize|deal|take care|fix|have experience)\b|\bwhat (?:conditions|injuries|problems|kinds? of (?:\w+ )?(?:conditions|injuries|problems|patients)) do you\b|\bdo you (?:have|offer) (?:a |any )?(?:\w+ )?(?:therap|program|specialist|class)", Options)]
    private static partial Regex ServicesFrame();

    [GeneratedRegex(@"\b(?:" + NamedMedications + @")\b", Options)]
    private static partial Regex MedicationWord();

    [GeneratedRegex(@"\b(?:how (?:much|many|often)|what (?:dose|dosage|amount)|dosage|dose|mg|milligrams?)\b.{0,40}\b(?:" + Medications + @")\b|\b(?:can|should|could|may) i (?:take|use|have|mix|stop|skip|keep taking)\b.{0,30}\b(?:" + Medications + @")\b|\b(?:" + Medications + @")\b.{0,40}\b(?:before|after|with|during)\b.{0,20}\b(?:therapy|session|appointment|pt|exercise|exercises|workout|needling)\b|\b(?:prescribe me|refill my|(?:dose|dosage) of)\b", Options)]
    private static partial Regex MedicationRequest();

    [GeneratedRegex(@"\b(?:is|it'?s|are|was) (?:this|that|it|these|those|mine)\s+(?:\w+\s+){0,2}(?:normal|ok|okay|alright|bad|serious|common|expected|a bad sign|a problem|concerning|dangerous|something to worry)|\bnormal (?:to|for (?:me|my|it|a knee|a back|the))\b|\bshould i (?:be )?(?:worried|concerned|panic|freak)|\bam i (?:ok|okay|alright|healing|overdoing)|\bis (?:my|the) \w+(?: \w+)? (?:healing|normal|ok|okay)\b|\bhow (?:bad|serious) is\b|\bis it (?:ok|okay|bad|safe|normal) (?:if|that|for (?:me|my)|to (?:feel|have|still|be|hear))", Options)]
    private static partial Regex Normalcy();

    [GeneratedRegex(@"\b(?:do|could|might|would|did) i (?:have|have got|got)\b.{0,30}\b(?:" + Conditions + @")\b|\bwhat'?s? (?:is )?(?:wrong|going on|happening) (?:with|in) (?:my|me)\b|\bwhat (?:is|could|might|would) (?:be )?(?:wrong|causing|cause)\b|\bwhat'?s causing\b|\bwhy (?:does|do|is|are|would|did|has|have) (?:my|me)\b.{0,30}\b(?:" + Symptoms + @"|" + Conditions + @")\b|\b(?:is|are) (?:it|my \w+(?: \w+)?|this|that|the \w+) (?:\w+ )?(?:torn|broken|fractured|sprained|dislocated|infected|pulled|strained|ruptured|herniated|damaged|injured|out of place)\b|\bdid i (?:tear|break|sprain|pull|injure|damage|rupture|dislocate|fracture|strain|mess up|re-?injure)\b|\b(?:think|worried|afraid|scared) (?:i|that i) (?:tore|broke|sprained|pulled|injured|damaged|have|re-?injured|fractured|dislocated)\b|\b(?:diagnose|diagnosis)\b.{0,20}\b(?:me|my|i)\b|\b(?:me|my)\b.{0,20}\b(?:diagnose|diagnosis)\b", Options)]
    private static partial Regex Diagnosis();

    [GeneratedRegex(@"\b(?:do|will|would) i (?:need|have to get) (?:a |an |to get |to have )?(?:surgery|operation|mri|x-?ray|xray|ct|scan|injection|shot|brace|crutches|cast|boot|sling|stitches)\b|\bshould i (?:go to (?:the )?(?:er|emergency|urgent care|hospital|doctor)|see a (?:doctor|surgeon|specialist|physician)|ice|heat|rest|stop (?:doing|exercising|the exercises|therapy|pt|running|my)|keep (?:doing|exercising|running|going|stretching)|continue (?:the|my|doing|exercis)|push through|exercise|stretch|avoid|skip (?:my )?(?:exercises|stretches)|be doing|wait (?:to|for it|until)|walk on|run on|wear a (?:brace|sling|boot))\b|\b(?:ice or heat|heat or ice)\b|\bwhat (?:exercises|stretches)\b.{0,30}\b(?:should|can|could|for my|help)\b|\b(?:recommend|suggest|know) (?:a |an |any |me a |me an |good )*(?:surgeon|doctor|orthopedist|orthopaedist|ortho|chiropractor|specialist|neurologist|podiatrist|physician)\b|\bhow (?:do|can|should) i (?:treat|fix|heal|relieve|stop|get rid|manage|help)\b|\bwhen (?:can|will|should) i (?:go back|return|start|run|drive|play|lift|walk|work out|exercise)\b|\bhow long (?:will|should|until|before|does it take)\b.{0,30}\b(?:heal|recover|hurt|swell|pain|sore|better|back to)\b|\bwill (?:it|my \w+|this) (?:heal|get better|go away|ever)\b|\bis it safe (?:to|for me)\b|\bcan i (?:still |even )?(?:run|walk|exercise|work out|drive|play|lift|bend|squat|jump|put weight|bear weight|swim|bike)\b.{0,20}\b(?:on|with|after|if)\b.{0,20}\b(?:my|the|a)\b.{0,25}\b(?:" + BodyParts + @"|" + Conditions + @"|surgery|injury|pain)\b", Options)]
    private static partial Regex TreatmentDecision();

    [GeneratedRegex(@"\b(?:my|i|i'?m|i'?ve|me|mine)\b.{0,40}\b(?:" + Symptoms + @")\b|\b(?:" + Symptoms + @")\b.{0,30}\b(?:my|me)\b|\b(?:" + Symptoms + @")\b.{0,30}\b(?:after|since|from)\b.{0,15}\b(?:therapy|session|treatment|pt|surgery|needling|exercises?|appointment|visit)\b", Options)]
    private static partial Regex FirstPersonSymptom();

    [GeneratedRegex(@"\b(?:" + BodyParts + @")\b", Options)]
    private static partial Regex BodyPart();

    /// <summary>True when <paramref name="text"/> asks for medical advice and must not be answered from the FAQ.</summary>
    public bool IsMedicalAdvice(string? text) => Classify(text) != MedicalAdviceKind.None;

    /// <summary>The kind of medical advice asked for, or <see cref="MedicalAdviceKind.None"/>.</summary>
    public MedicalAdviceKind Classify(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return MedicalAdviceKind.None;
        }

        var normalized = Normalize(text);
        if (MedicationRequest().IsMatch(normalized))
        {
            return MedicalAdviceKind.Medication;
        }

        var servicesQuestion = ServicesFrame().IsMatch(normalized);
        if (!servicesQuestion && MedicationWord().IsMatch(normalized))
        {
            return MedicalAdviceKind.Medication;
        }

        if (Diagnosis().IsMatch(normalized))
        {
            return MedicalAdviceKind.Diagnosis;
        }

        if (Normalcy().IsMatch(normalized))
        {
            return MedicalAdviceKind.Normalcy;
        }

        var symptom = FirstPersonSymptom().IsMatch(normalized);
        if (TreatmentDecision().IsMatch(normalized) && (symptom || BodyPart().IsMatch(normalized) || !servicesQuestion))
        {
            return MedicalAdviceKind.TreatmentDecision;
        }

        // "do you treat knee pain?" names a symptom but asks about the clinic; "my knee hurts" tells a symptom.
        if (symptom && !(servicesQuestion && !HasPersonalSymptom(normalized)))
        {
            return MedicalAdviceKind.Symptom;
        }

        return MedicalAdviceKind.None;
    }

    private static bool HasPersonalSymptom(string normalized) => PersonalSymptom().IsMatch(normalized);

    [GeneratedRegex(@"\b(?:my \w+(?: \w+)? (?:" + Symptoms + @")|i (?:have|got|get|feel|am having|'?ve had|'?ve been having|keep (?:getting|having)) (?:\w+ ){0,3}(?:" + Symptoms + @")|i'?m (?:\w+ )?(?:" + Symptoms + @")|(?:" + Symptoms + @") (?:in|on|around|behind|under) my)\b", Options)]
    private static partial Regex PersonalSymptom();

    // Curly apostrophes and texting shorthand, so "what’s", "r u", "im" and "ur" match like their spelled-out forms.
    private static string Normalize(string text)
    {
        var s = text.Replace('\u2019', '\'').Replace('\u2018', '\'').ToLowerInvariant();
        s = Shorthand().Replace(s, m => m.Value switch
        {
            "im" => "i'm",
            "ive" => "i've",
            "u" => "you",
            "r" => "are",
            "ur" => "your",
            "whats" => "what's",
            "wats" => "what's",
            "shud" or "shld" => "should",
            "cuz" or "bc" => "because",
            "w" => "with",
            _ => m.Value,
        });
        return s;
    }

    [GeneratedRegex(@"\b(?:im|ive|u|r|ur|whats|wats|shud|shld|cuz|bc|w)\b", Options)]
    private static partial Regex Shorthand();
}
