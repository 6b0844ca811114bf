using ClinicBot.Dialogs.Framework;
using Microsoft.Bot.Builder;

namespace ClinicBot.Tests.Dialogs.Framework;

public class ComponentDialogTests
{
    [Fact]
    public async Task ComponentDialogCanInterceptBeforeStepsRun()
    {
        var host = new DialogTestHost();
        var stepsRun = new List<string>();

        await host.Flow(new HelpAwareDialog(stepsRun))
            .Send("hi").AssertReply("What is your name?")
            .Send("help").AssertReply("You can type your name, or say cancel.").AssertReply("What is your name?")
            .Send("Ada").AssertReply("Thanks Ada")
            .StartTestAsync();

        // The "help" turn never reached the waterfall: only the begin step and the final step ran.
        Assert.Equal(["ask", "thank"], stepsRun);
        Assert.Equal(DialogTurnStatus.Complete, host.Results[^1].Status);
        Assert.Equal("Ada", host.Results[^1].Result);
    }

    [Fact]
    public async Task ComponentDialogInterceptionCanCancelTheInnerDialogs()
    {
        var host = new DialogTestHost();
        var stepsRun = new List<string>();

        await host.Flow(new HelpAwareDialog(stepsRun))
            .Send("hi").AssertReply("What is your name?")
            .Send("cancel").AssertReply("Cancelled.")
            .StartTestAsync();

        Assert.Equal(["ask"], stepsRun);
        Assert.Empty(host.Stacks[^1]);
    }

    [Fact]
    public async Task ComponentReturnsItsResultToTheParentDialog()
    {
        var host = new DialogTestHost();
        var child = new HelpAwareDialog([]);
        var parent = new ComponentDialog("parent");
        parent.AddDialog(new WaterfallDialog("outer",
        [
            (step, ct) => step.BeginDialogAsync(child.Id, null, ct),
            async (step, ct) =>
            {
                await step.Context.SendActivityAsync($"parent got {step.Result}", cancellationToken: ct);
                return await step.EndDialogAsync(null, ct);
            },
        ]));
        parent.AddDialog(child);

        await host.Flow(parent)
            .Send("hi").AssertReply("What is your name?")
            .Send("Grace").AssertReply("Thanks Grace").AssertReply("parent got Grace")
            .StartTestAsync();

        Assert.Equal(["parent"], host.Stacks[0]);
        Assert.Empty(host.Stacks[^1]);
    }

    [Fact]
    public async Task InnerDialogsCanStartDialogsRegisteredInTheParent()
    {
        var host = new DialogTestHost();
        var inner = new ComponentDialog("inner");
        inner.AddDialog(new WaterfallDialog("innerSteps",
        [
            (step, ct) => step.PromptAsync("sharedText", new PromptOptions { Prompt = MessageFactory.Text("Say something") }, ct),
            (step, ct) => step.EndDialogAsync(step.Result, ct),
        ]));
        var root = new ComponentDialog("root");
        root.AddDialog(inner).AddDialog(new TextPrompt("sharedText"));

        await host.Flow(root)
            .Send("hi").AssertReply("Say something")
            .Send("hello").AssertNoReply()
            .StartTestAsync();

        Assert.Equal("hello", host.Results[^1].Result);
    }

    [Fact]
    public void FirstAddedDialogIsTheInitialDialog()
    {
        var component = new ComponentDialog("c");
        component.AddDialog(new TextPrompt("first")).AddDialog(new TextPrompt("second"));

        Assert.Equal("first", component.InitialDialogId);
        Assert.NotNull(component.FindDialog("second"));
        Assert.Null(component.FindDialog("third"));
    }

    /// <summary>Handles "help" and "cancel" before its waterfall sees the message.</summary>
    private sealed class HelpAwareDialog : ComponentDialog
    {
        public HelpAwareDialog(List<string> stepsRun)
            : base("helpAware")
        {
            AddDialog(new WaterfallDialog("name",
            [
                (step, ct) =>
                {
                    stepsRun.Add("ask");
                    return step.PromptAsync("text", new PromptOptions { Prompt = MessageFactory.Text("What is your name?") }, ct);
                },
                async (step, ct) =>
                {
                    stepsRun.Add("thank");
                    await step.Context.SendActivityAsync($"Thanks {step.Result}", cancellationToken: ct);
                    return await step.EndDialogAsync(step.Result, ct);
                },
            ]));
            AddDialog(new TextPrompt("text"));
        }

        protected override async Task<DialogTurnResult> OnContinueDialogAsync(DialogContext innerDc, CancellationToken cancellationToken = default)
        {
            switch (innerDc.Context.Activity.Text?.Trim().ToUpperInvariant())
            {
                case "HELP":
                    await innerDc.Context.SendActivityAsync("You can type your name, or say cancel.", cancellationToken: cancellationToken);
                    await innerDc.RepromptDialogAsync(cancellationToken);
                    return EndOfTurn;
                case "CANCEL":
                    await innerDc.Context.SendActivityAsync("Cancelled.", cancellationToken: cancellationToken);
                    return await innerDc.CancelAllDialogsAsync(cancellationToken);
                default:
                    return await base.OnContinueDialogAsync(innerDc, cancellationToken);
            }
        }
    }
}
