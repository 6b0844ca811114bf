namespace ClinicBot.Bench;

/// <summary>One patient turn: a message (or the join a channel sends) and how many bot messages it must produce.</summary>
public sealed record Step(string? Text, int ExpectedReplies, bool Join = false)
{
    public static Step Say(string text, int replies) => new(text, replies);

    public static Step Joined(int replies) => new(null, replies, Join: true);
}

/// <summary>
/// A scripted conversation: the prologue runs once per conversation, then the loop repeats until the run ends; a
/// script with no loop starts a new conversation (new patient) after its prologue.
/// </summary>
public sealed record Script(string Name, string Description, IReadOnlyList<Step> Prologue, IReadOnlyList<Step> Loop)
{
    public bool NewConversationEachTime => Loop.Count == 0;
}

/// <summary>The bench's scripts (see docs/benchmarks.md).</summary>
public static class Scripts
{
    internal static IReadOnlyList<string> KnowledgeQuestions { get; } =
    [
        "when are you open",
        "are you open on thanksgiving",
        "where is the downtown clinic",
        "is there parking",
        "do you take medicare",
        "what is your cancellation policy",
        "what should i wear to my appointment",
        "do i need a referral from my doctor",
        "do you do telehealth visits",
        "what should i bring to my first visit",
        "how do i get a copy of my records",
        "do you see kids",
    ];

    // A health question is caught by the medical-advice detector (regular expressions) before the recognizer, so it
    // is restated for a Yes/No confirmation without ever reaching the knowledge base.
    private const string HealthQuestion = "Is it normal that my knee still aches the day after my session?";

    /// <summary>
    /// Dialog stack and state, no recognizer: a health question is restated (confirm prompt), "no" (misunderstanding
    /// counted, asked to rephrase), the question again, "no" (second misunderstanding: a person is offered, a second
    /// prompt), "no" (back to the bot). Every turn reads and writes conversation state and pushes or pops dialogs.
    /// </summary>
    public static Script Dialog { get; } = new(
        "dialog",
        "health question restated → \"no\" → again → \"no\" (person offered) → \"no\"; loops in one conversation, no recognizer",
        [Step.Joined(1)],
        [
            Step.Say(HealthQuestion, 2),
            Step.Say("no", 1),
            Step.Say(HealthQuestion, 2),
            Step.Say("no", 1),
            Step.Say("no", 1),
        ]);

    /// <summary>Knowledge-base questions (patient phrasings from clinic-faq.yaml), each answered from the FAQ.</summary>
    public static Script Knowledge { get; } = new(
        "knowledge",
        "FAQ questions in patients' words (phrasings from clinic-faq.yaml), each answered; loops in one conversation",
        [Step.Joined(1)],
        KnowledgeQuestions.Select(q => Step.Say(q, 1)).ToList());

    /// <summary>A realistic visit, then a new patient: greeting, FAQ question, restatement, yes, contact, thanks.</summary>
    public static Script Mixed { get; } = new(
        "mixed",
        "join (greeting) → \"hi\" → FAQ question → health question restated → \"yes\" (follow-up queued) → phone number → \"thanks\"; then a new patient",
        [
            Step.Joined(1),
            Step.Say("hi", 1),
            Step.Say("what time do you close today", 1),
            Step.Say(HealthQuestion, 2),
            Step.Say("yes", 3),
            Step.Say("you can call me at 555-201-0142", 1),
            Step.Say("thanks!", 1),
        ],
        []);

    public static IReadOnlyList<Script> All { get; } = [Dialog, Knowledge, Mixed];

}
