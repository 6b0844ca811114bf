using ClinicBot.Dialogs.Framework;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Schema;

namespace ClinicBot.Tests.Dialogs.Framework;

public class ChoicePromptTests
{
    private static readonly List<Choice> _slots =
    [
        new("Morning", "am", "before lunch"),
        new("Afternoon", "pm"),
        new("Evening"),
    ];

    [Theory]
    [InlineData("Morning", "Morning")]
    [InlineData("morning", "Morning")]
    [InlineData("AFTERNOON!", "Afternoon")]
    [InlineData("am", "Morning")]
    [InlineData("Before lunch.", "Morning")]
    [InlineData("PM", "Afternoon")]
    [InlineData("1", "Morning")]
    [InlineData("2", "Afternoon")]
    [InlineData("3", "Evening")]
    [InlineData("#2", "Afternoon")]
    [InlineData("option 3", "Evening")]
    [InlineData("the second one", "Afternoon")]
    [InlineData("first", "Morning")]
    [InlineData("3rd", "Evening")]
    [InlineData("last", "Evening")]
    public void RecognizesValuesSynonymsAndOrdinals(string text, string expected)
    {
        var found = ChoicePrompt.Recognize(text, _slots);

        Assert.NotNull(found);
        Assert.Equal(expected, found.Value);
        Assert.Equal(_slots.FindIndex(c => c.Value == expected), found.Index);
    }

    [Theory]
    [InlineData("")]
    [InlineData("0")]
    [InlineData("4")]
    [InlineData("night")]
    [InlineData("morning or evening")]
    [InlineData("-1")]
    public void DoesNotRecognizeOtherInput(string text)
    {
        Assert.Null(ChoicePrompt.Recognize(text, _slots));
    }

    [Fact]
    public void AmbiguousSynonymIsNotRecognized()
    {
        List<Choice> choices = [new("Dr Smith", "smith"), new("Dr Jane Smith", "smith")];

        Assert.Null(ChoicePrompt.Recognize("smith", choices));
        Assert.Equal("Dr Jane Smith", ChoicePrompt.Recognize("dr jane smith", choices)?.Value);
    }

    [Fact]
    public async Task ChoicePromptRecognizesOrdinalAndSynonyms()
    {
        var byOrdinal = new DialogTestHost();
        await byOrdinal.Flow(PickSlot())
            .Send("hi").AssertReply("When suits you?")
            .Send("2").AssertReply("Afternoon (index 1)")
            .StartTestAsync();

        var bySynonym = new DialogTestHost();
        await bySynonym.Flow(PickSlot())
            .Send("hi").AssertReply("When suits you?")
            .Send("AM").AssertReply("Morning (index 0)")
            .StartTestAsync();

        var found = Assert.IsType<FoundChoice>(bySynonym.Results[^1].Result);
        Assert.Equal("Morning", found.Value);
    }

    [Fact]
    public async Task ChoicePromptOffersChoicesAsSuggestedActions()
    {
        var host = new DialogTestHost();
        await host.Flow(PickSlot())
            .Send("hi").AssertReply(activity =>
            {
                var message = Assert.IsType<Activity>(activity);
                Assert.Equal(["Morning", "Afternoon", "Evening"], message.SuggestedActions.Actions.Select(a => a.Title));
                Assert.Equal(["Morning", "Afternoon", "Evening"], message.SuggestedActions.Actions.Select(a => (string)a.Value));
            })
            .StartTestAsync();
    }

    [Fact]
    public async Task ChoicePromptRetriesOnOutOfRangeNumber()
    {
        var host = new DialogTestHost();
        await host.Flow(PickSlot())
            .Send("hi").AssertReply("When suits you?")
            .Send("7").AssertReply("Please pick one of the times.")
            .Send("evening").AssertReply("Evening (index 2)")
            .StartTestAsync();
    }

    private static ComponentDialog PickSlot()
    {
        var root = new ComponentDialog("root");
        root.AddDialog(new WaterfallDialog("w",
        [
            (step, ct) => step.PromptAsync("slot", new PromptOptions
            {
                Prompt = MessageFactory.Text("When suits you?"),
                RetryPrompt = MessageFactory.Text("Please pick one of the times."),
                Choices = _slots,
            }, ct),
            async (step, ct) =>
            {
                var found = (FoundChoice)step.Result!;
                await step.Context.SendActivityAsync($"{found.Value} (index {found.Index})", cancellationToken: ct);
                return await step.EndDialogAsync(found, ct);
            },
        ]));
        root.AddDialog(new ChoicePrompt("slot"));
        return root;
    }
}
