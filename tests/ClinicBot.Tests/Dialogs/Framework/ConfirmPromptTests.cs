using ClinicBot.Dialogs.Framework;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Schema;

namespace ClinicBot.Tests.Dialogs.Framework;

public class ConfirmPromptTests
{
    [Theory]
    [InlineData("yes", true)]
    [InlineData("YES!", true)]
    [InlineData("yeah", true)]
    [InlineData("Yep.", true)]
    [InlineData("sure", true)]
    [InlineData("correct", true)]
    [InlineData("That's right", true)]
    [InlineData("that\u2019s right!", true)]
    [InlineData("right", true)]
    [InlineData("ok", true)]
    [InlineData("Okay", true)]
    [InlineData("yes, that's right", true)]
    [InlineData("yes please", true)]
    [InlineData("no", false)]
    [InlineData("No.", false)]
    [InlineData("nope", false)]
    [InlineData("nah", false)]
    [InlineData("Not really", false)]
    [InlineData("wrong", false)]
    [InlineData("that's not right", false)]
    [InlineData("no thanks", false)]
    [InlineData("  NO!!  ", false)]
    public void RecognizesEverydayYesAndNo(string text, bool expected)
    {
        Assert.Equal(expected, new ConfirmPrompt("confirm").Recognize(text));
    }

    [Theory]
    [InlineData("")]
    [InlineData("maybe")]
    [InlineData("not sure")]
    [InlineData("yes no")]
    [InlineData("yes but not on monday")]
    [InlineData("thanks")]
    [InlineData("not ok")]
    [InlineData("yesterday")]
    [InlineData("know")]
    public void DoesNotGuessOnUnclearAnswers(string text)
    {
        Assert.Null(new ConfirmPrompt("confirm").Recognize(text));
    }

    [Fact]
    public async Task ConfirmPromptReturnsTrueOrFalseToTheCallingStep()
    {
        var host = new DialogTestHost();
        await host.Flow(ConfirmThenEcho())
            .Send("hi").AssertReply("Is your date of birth 1 May 1980?")
            .Send("yep").AssertReply("confirmed: True")
            .StartTestAsync();

        var second = new DialogTestHost();
        await second.Flow(ConfirmThenEcho())
            .Send("hi").AssertReply("Is your date of birth 1 May 1980?")
            .Send("Nope.").AssertReply("confirmed: False")
            .StartTestAsync();
    }

    [Fact]
    public async Task ConfirmPromptRepromptsOnUnrecognizedInputWithRetryPrompt()
    {
        var host = new DialogTestHost();
        await host.Flow(ConfirmThenEcho())
            .Send("hi").AssertReply("Is your date of birth 1 May 1980?")
            .Send("maybe").AssertReply("Please answer yes or no.")
            .Send("what?").AssertReply("Please answer yes or no.")
            .Send("That's right").AssertReply("confirmed: True")
            .StartTestAsync();
    }

    [Fact]
    public async Task ConfirmPromptFallsBackToThePromptWhenNoRetryPromptIsGiven()
    {
        var host = new DialogTestHost();
        var waterfall = new WaterfallDialog("w",
        [
            (step, ct) => step.PromptAsync("confirm", new PromptOptions { Prompt = MessageFactory.Text("Shall I book it?") }, ct),
        ]);
        var root = new ComponentDialog("root");
        root.AddDialog(waterfall).AddDialog(new ConfirmPrompt("confirm"));

        await host.Flow(root)
            .Send("hi").AssertReply("Shall I book it?")
            .Send("hmm").AssertReply("Shall I book it?")
            .StartTestAsync();
    }

    [Fact]
    public async Task ConfirmPromptOffersYesAndNoAsSuggestedActions()
    {
        var host = new DialogTestHost();
        await host.Flow(ConfirmThenEcho())
            .Send("hi").AssertReply(activity => AssertYesNoSuggestedActions(activity, "Is your date of birth 1 May 1980?"))
            .Send("maybe").AssertReply(activity => AssertYesNoSuggestedActions(activity, "Please answer yes or no."))
            .Send("Yes").AssertReply("confirmed: True")
            .StartTestAsync();
    }

    [Fact]
    public async Task ConfirmPromptKeepsSuggestedActionsTheCallerAlreadySet()
    {
        var host = new DialogTestHost();
        var prompt = MessageFactory.Text("Book it?");
        prompt.SuggestedActions = new SuggestedActions
        {
            Actions = [new CardAction(ActionTypes.ImBack, "Yes, book it", value: "Yes, book it"), new CardAction(ActionTypes.ImBack, "No, go back", value: "No, go back")],
        };
        var root = new ComponentDialog("root");
        root.AddDialog(new WaterfallDialog("w", [(step, ct) => step.PromptAsync("confirm", new PromptOptions { Prompt = prompt }, ct)]))
            .AddDialog(new ConfirmPrompt("confirm"));

        await host.Flow(root)
            .Send("hi").AssertReply(activity =>
                Assert.Equal(["Yes, book it", "No, go back"], ((Activity)activity).SuggestedActions.Actions.Select(a => a.Title)))
            .StartTestAsync();
    }

    [Fact]
    public async Task NonMessageActivitiesDoNotCountAsAnswers()
    {
        var host = new DialogTestHost();
        await host.Flow(ConfirmThenEcho(maxAttempts: 1))
            .Send("hi").AssertReply("Is your date of birth 1 May 1980?")
            .Send(new Activity(ActivityTypes.Typing)).AssertNoReply()
            .Send("yes").AssertReply("confirmed: True")
            .StartTestAsync();
    }

    private static void AssertYesNoSuggestedActions(IActivity activity, string expectedText)
    {
        var message = Assert.IsType<Activity>(activity);
        Assert.Equal(expectedText, message.Text);
        Assert.NotNull(message.SuggestedActions);
        Assert.Equal(["Yes", "No"], message.SuggestedActions.Actions.Select(a => a.Title));
        Assert.Equal(["Yes", "No"], message.SuggestedActions.Actions.Select(a => (string)a.Value));
        Assert.All(message.SuggestedActions.Actions, a => Assert.Equal(ActionTypes.ImBack, a.Type));
    }

    private static ComponentDialog ConfirmThenEcho(int? maxAttempts = null)
    {
        var root = new ComponentDialog("root");
        root.AddDialog(new WaterfallDialog("w",
        [
            (step, ct) => step.PromptAsync("confirm", new PromptOptions
            {
                Prompt = MessageFactory.Text("Is your date of birth 1 May 1980?"),
                RetryPrompt = MessageFactory.Text("Please answer yes or no."),
                MaxAttempts = maxAttempts,
            }, ct),
            async (step, ct) =>
            {
                await step.Context.SendActivityAsync($"confirmed: {step.Result}", cancellationToken: ct);
                return await step.EndDialogAsync(step.Result, ct);
            },
        ]));
        root.AddDialog(new ConfirmPrompt("confirm"));
        return root;
    }
}
