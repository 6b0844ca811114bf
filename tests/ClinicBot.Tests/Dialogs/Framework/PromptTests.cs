using ClinicBot.Dialogs.Framework;
using Microsoft.Bot.Builder;

namespace ClinicBot.Tests.Dialogs.Framework;

public class PromptTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task PromptGivesUpAfterMaxAttempts(bool useMemoryStorage)
    {
        var host = new DialogTestHost(useMemoryStorage ? new MemoryStorage() : null);
        var root = new ComponentDialog("root");
        root.AddDialog(new WaterfallDialog("w",
        [
            (step, ct) => step.PromptAsync("confirm", new PromptOptions
            {
                Prompt = MessageFactory.Text("Is this for you?"),
                RetryPrompt = MessageFactory.Text("Sorry, yes or no?"),
                MaxAttempts = 3,
            }, ct),
            async (step, ct) =>
            {
                var reply = step.Result is bool answer ? $"answer {answer}" : "Let me find a person to help.";
                await step.Context.SendActivityAsync(reply, cancellationToken: ct);
                return await step.EndDialogAsync(step.Result, ct);
            },
        ]));
        root.AddDialog(new ConfirmPrompt("confirm"));

        await host.Flow(root)
            .Send("hi").AssertReply("Is this for you?")
            .Send("banana").AssertReply("Sorry, yes or no?")
            .Send("purple").AssertReply("Sorry, yes or no?")
            .Send("maybe").AssertReply("Let me find a person to help.")
            .StartTestAsync();

        Assert.Equal(DialogTurnStatus.Complete, host.Results[^1].Status);
        Assert.Null(host.Results[^1].Result);
        Assert.Empty(host.Stacks[^1]);
    }

    [Fact]
    public async Task PromptWithoutMaxAttemptsKeepsAsking()
    {
        var host = new DialogTestHost();
        var prompt = new ConfirmPrompt("confirm");
        var flow = host.Flow(async (turnContext, ct) =>
        {
            var dc = await new DialogSet(host.Accessor).Add(prompt).CreateContextAsync(turnContext, ct);
            var result = await dc.ContinueDialogAsync(ct);
            return result.Status == DialogTurnStatus.Empty
                ? await dc.PromptAsync("confirm", new PromptOptions { Prompt = MessageFactory.Text("Q?"), RetryPrompt = MessageFactory.Text("Again?") }, ct)
                : result;
        });

        for (var i = 0; i < 6; i++)
        {
            flow = flow.Send("hmm");
            flow = i == 0 ? flow.AssertReply("Q?") : flow.AssertReply("Again?");
        }

        await flow.StartTestAsync();
        Assert.All(host.Results, r => Assert.Equal(DialogTurnStatus.Waiting, r.Status));
    }

    [Fact]
    public async Task ValidatorRejectionTriggersRetry()
    {
        var attempts = new List<int>();
        PromptValidator<string> nhsNumber = (context, ct) =>
        {
            attempts.Add(context.AttemptCount);
            return Task.FromResult(context.Recognized.Succeeded && context.Recognized.Value!.All(char.IsDigit) && context.Recognized.Value!.Length == 10);
        };

        var host = new DialogTestHost();
        await host.Flow(AskText(nhsNumber))
            .Send("hi").AssertReply("What is your NHS number?")
            .Send("abc").AssertReply("That should be 10 digits.")
            .Send("12345").AssertReply("That should be 10 digits.")
            .Send("9434765919").AssertReply("got 9434765919")
            .StartTestAsync();

        Assert.Equal([1, 2, 3], attempts);
    }

    [Fact]
    public async Task ValidatorMessageReplacesTheRetryPrompt()
    {
        PromptValidator<string> validator = async (context, ct) =>
        {
            if (context.Recognized.Value == "help")
            {
                await context.Context.SendActivityAsync("It is on your NHS card.", cancellationToken: ct);
                return false;
            }

            return context.Recognized.Succeeded;
        };

        var host = new DialogTestHost();
        await host.Flow(AskText(validator))
            .Send("hi").AssertReply("What is your NHS number?")
            .Send("help").AssertReply("It is on your NHS card.").AssertNoReply()
            .Send("9434765919").AssertReply("got 9434765919")
            .StartTestAsync();
    }

    [Fact]
    public async Task ValidatorCanReadValidationsAfterAJsonRoundTrip()
    {
        PromptValidator<string> validator = (context, ct) =>
        {
            var limits = context.Options.GetValidations<LengthLimits>();
            return Task.FromResult(limits is not null && context.Recognized.Value!.Length <= limits.MaxLength);
        };

        var host = new DialogTestHost();
        await host.Flow(AskText(validator, new LengthLimits { MaxLength = 3 }))
            .Send("hi").AssertReply("What is your NHS number?")
            .Send("toolong").AssertReply("That should be 10 digits.")
            .Send("abc").AssertReply("got abc")
            .StartTestAsync();
    }

    [Fact]
    public async Task TextPromptRejectsBlankMessages()
    {
        var host = new DialogTestHost();
        await host.Flow(AskText(validator: null))
            .Send("hi").AssertReply("What is your NHS number?")
            .Send("   ").AssertReply("That should be 10 digits.")
            .Send("  Ada  ").AssertReply("got Ada")
            .StartTestAsync();
    }

    private static ComponentDialog AskText(PromptValidator<string>? validator, object? validations = null)
    {
        var root = new ComponentDialog("root");
        root.AddDialog(new WaterfallDialog("w",
        [
            (step, ct) => step.PromptAsync("text", new PromptOptions
            {
                Prompt = MessageFactory.Text("What is your NHS number?"),
                RetryPrompt = MessageFactory.Text("That should be 10 digits."),
                Validations = validations,
            }, ct),
            async (step, ct) =>
            {
                await step.Context.SendActivityAsync($"got {step.Result}", cancellationToken: ct);
                return await step.EndDialogAsync(step.Result, ct);
            },
        ]));
        root.AddDialog(new TextPrompt("text", validator));
        return root;
    }

    private sealed class LengthLimits
    {
        public int MaxLength { get; set; }
    }
}
