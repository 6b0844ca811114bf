using ClinicBot.Dialogs.Knowledge;

namespace ClinicBot.Tests.Knowledge;

public sealed class MedicalAdviceDetectorTests
{
    private readonly MedicalAdviceDetector _detector = new();

    [Theory]
    [InlineData("how much ibuprofen can I take?", MedicalAdviceKind.Medication)]
    [InlineData("Can I take Aleve before my session", MedicalAdviceKind.Medication)]
    [InlineData("is it ok to mix tylenol and advil", MedicalAdviceKind.Medication)]
    [InlineData("what dose of gabapentin should i be on", MedicalAdviceKind.Medication)]
    [InlineData("should i stop my blood thinners before dry needling", MedicalAdviceKind.Medication)]
    [InlineData("how many pills can i take a day", MedicalAdviceKind.Medication)]
    [InlineData("is this normal?", MedicalAdviceKind.Normalcy)]
    [InlineData("is it normal to be this sore after therapy", MedicalAdviceKind.Normalcy)]
    [InlineData("should I be worried", MedicalAdviceKind.Normalcy)]
    [InlineData("do I have a torn meniscus", MedicalAdviceKind.Diagnosis)]
    [InlineData("do i have tendonitis?", MedicalAdviceKind.Diagnosis)]
    [InlineData("What’s wrong with my knee", MedicalAdviceKind.Diagnosis)]
    [InlineData("whats wrong w my back", MedicalAdviceKind.Diagnosis)]
    [InlineData("is it torn", MedicalAdviceKind.Diagnosis)]
    [InlineData("is my ACL torn", MedicalAdviceKind.Diagnosis)]
    [InlineData("i think i broke my wrist", MedicalAdviceKind.Diagnosis)]
    [InlineData("why does my shoulder click", MedicalAdviceKind.Diagnosis)]
    [InlineData("my knee hurts when I climb stairs, should I keep doing the exercises?", MedicalAdviceKind.TreatmentDecision)]
    [InlineData("swelling after therapy", MedicalAdviceKind.Symptom)]
    [InlineData("my back is killing me", MedicalAdviceKind.Symptom)]
    [InlineData("I have sharp pain in my hip at night", MedicalAdviceKind.Symptom)]
    [InlineData("im getting numbness in my fingers", MedicalAdviceKind.Symptom)]
    [InlineData("should i use ice or heat", MedicalAdviceKind.TreatmentDecision)]
    [InlineData("do I need surgery?", MedicalAdviceKind.TreatmentDecision)]
    [InlineData("do i need an MRI", MedicalAdviceKind.TreatmentDecision)]
    [InlineData("should I go to the ER", MedicalAdviceKind.TreatmentDecision)]
    [InlineData("can you recommend a good surgeon", MedicalAdviceKind.TreatmentDecision)]
    [InlineData("when can i start running again", MedicalAdviceKind.TreatmentDecision)]
    [InlineData("can i walk on my sprained ankle", MedicalAdviceKind.TreatmentDecision)]
    [InlineData("what exercises should i do for my neck", MedicalAdviceKind.TreatmentDecision)]
    [InlineData("how long will it take to heal", MedicalAdviceKind.TreatmentDecision)]
    [InlineData("do u treat knee pain? mine hurts when i run, should i rest", MedicalAdviceKind.TreatmentDecision)]
    public void Recognises_medical_advice(string text, MedicalAdviceKind expected)
    {
        Assert.Equal(expected, _detector.Classify(text));
        Assert.True(_detector.IsMedicalAdvice(text));
    }

    [Theory]
    [InlineData("do you treat knee pain?")]
    [InlineData("Do you guys help with back pain")]
    [InlineData("can your therapists treat sciatica")]
    [InlineData("what conditions do you treat")]
    [InlineData("do you offer vestibular therapy for dizziness")]
    [InlineData("do you do rehab after a knee replacement")]
    [InlineData("what are your hours on saturday")]
    [InlineData("how many clinics do you have")]
    [InlineData("how much time does the first appointment take")]
    [InlineData("do I need a prescription for physical therapy")]
    [InlineData("do i have to bring my insurance card")]
    [InlineData("do I need a referral")]
    [InlineData("should i bring my mri report")]
    [InlineData("what should i wear")]
    [InlineData("should i get there early")]
    [InlineData("i have a cold should i still come in")]
    [InlineData("how much does a session cost")]
    [InlineData("can I take the bus to the downtown clinic")]
    [InlineData("do i need to bring a list of my medications")]
    [InlineData("is dry needling covered by insurance")]
    [InlineData("can my kid come to pt")]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    public void Does_not_flag_clinic_questions(string? text)
    {
        Assert.Equal(MedicalAdviceKind.None, _detector.Classify(text));
    }

    [Fact]
    public void No_staff_phrasing_in_the_sample_knowledge_base_is_flagged()
    {
        var kb = KnowledgeBaseYaml.LoadFile(KnowledgeBaseYamlTests.SamplePath);

        var flagged = kb.Entries.SelectMany(e => e.TrainingTexts).Where(_detector.IsMedicalAdvice).ToList();

        Assert.Empty(flagged);
    }
}
