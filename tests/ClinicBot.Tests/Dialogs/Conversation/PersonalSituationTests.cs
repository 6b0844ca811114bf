using ClinicBot.Dialogs.Conversation;

namespace ClinicBot.Tests.Dialogs.Conversation;

public sealed class PersonalSituationTests
{
    [Theory]
    [InlineData("my son has a deployed hinge, do you do pediatric PT for that?")]
    [InlineData("My daughter hurt her wrist at gymnastics, can you see her?")]
    [InlineData("I tore my ACL last month, how long is rehab with you")]
    [InlineData("I've had a hip replacement, do you do post-op therapy")]
    [InlineData("my knee was replaced in march, can I start PT now")]
    [InlineData("i just had surgery on my shoulder, do you take new patients")]
    public void RecognizesQuestionsAboutThePatientsOwnCase(string text) =>
        Assert.True(PersonalSituation.IsDescribed(text));

    [Theory]
    [InlineData("r u open saturday mornings? i work weekdays")]
    [InlineData("I have Aetna, do you take it?")]
    [InlineData("do you treat knee pain?")]
    [InlineData("where do I park")]
    [InlineData("do you see kids?")]
    [InlineData("I have a question about my bill")]
    public void GeneralQuestionsAreNotPersonalCases(string text) =>
        Assert.False(PersonalSituation.IsDescribed(text));
}
