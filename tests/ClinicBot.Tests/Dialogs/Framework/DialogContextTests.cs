using ClinicBot.Dialogs.Framework;
using Microsoft.Bot.Builder;

namespace ClinicBot.Tests.Dialogs.Framework;

public class DialogContextTests
{
    [Fact]
    public async Task CancelAllDialogsEmptiesTheStack()
    {
        var host = new DialogTestHost();
        var ended = new List<(string Id, DialogReason Reason)>();
        var root = new ComponentDialog("root");
        root.AddDialog(new WaterfallDialog("outer", [(step, ct) => step.BeginDialogAsync("inner", null, ct)]));
        root.AddDialog(new RecordingPrompt("inner", ended));
        DialogTurnResult? cancelResult = null;

        await host.Flow(async (turnContext, ct) =>
            {
                var dc = await new DialogSet(host.Accessor).Add(root).CreateContextAsync(turnContext, ct);
                if (turnContext.Activity.Text == "cancel")
                {
                    cancelResult = await dc.CancelAllDialogsAsync(ct);
                    return cancelResult;
                }

                var result = await dc.ContinueDialogAsync(ct);
                return result.Status == DialogTurnStatus.Empty ? await dc.BeginDialogAsync("root", null, ct) : result;
            })
            .Send("hi").AssertReply("inner prompt")
            .Send("cancel").AssertNoReply()
            .Send("hi again").AssertReply("inner prompt")
            .StartTestAsync();

        Assert.Equal(["root"], host.Stacks[0]);
        Assert.Equal(DialogTurnStatus.Cancelled, cancelResult!.Status);
        Assert.Empty(host.Stacks[1]);
        Assert.Equal([("inner", DialogReason.CancelCalled)], ended);

        // After cancelling, the next message starts the root dialog from scratch.
        Assert.Equal(DialogTurnStatus.Waiting, host.Results[2].Status);
        Assert.Equal(["root"], host.Stacks[2]);
    }

    [Fact]
    public async Task CancelAllDialogsOnAnEmptyStackReportsEmpty()
    {
        var host = new DialogTestHost();
        await host.Flow(async (turnContext, ct) =>
                await (await new DialogSet(host.Accessor).CreateContextAsync(turnContext, ct)).CancelAllDialogsAsync(ct))
            .Send("cancel")
            .StartTestAsync();

        Assert.Equal(DialogTurnStatus.Empty, host.Results[0].Status);
    }

    [Fact]
    public async Task ReplaceDialogSwapsTheActiveDialog()
    {
        var host = new DialogTestHost();
        var ended = new List<(string Id, DialogReason Reason)>();
        var outerSawResult = false;
        var root = new ComponentDialog("root");
        root.AddDialog(new WaterfallDialog("outer",
        [
            (step, ct) => step.BeginDialogAsync("first", null, ct),
            (step, ct) =>
            {
                outerSawResult = true;
                return step.EndDialogAsync($"outer got {step.Result}", ct);
            },
        ]));
        root.AddDialog(new WaterfallDialog("first",
        [
            async (step, ct) =>
            {
                await step.Context.SendActivityAsync("first asks", cancellationToken: ct);
                return Dialog.EndOfTurn;
            },
            (step, ct) => step.ReplaceDialogAsync("second", null, ct),
        ]));
        root.AddDialog(new RecordingPrompt("second", ended));

        var innerStacks = new List<string[]>();
        await host.Flow(async (turnContext, ct) =>
            {
                var result = await root.RunAsync(turnContext, host.Accessor, ct);
                var state = await host.Accessor.GetAsync(turnContext, () => new DialogState(), ct);
                var inner = state.DialogStack.FirstOrDefault()?.State.GetValue<DialogState>(ComponentDialog.PersistedDialogState);
                innerStacks.Add([.. inner?.DialogStack.Select(i => i.Id) ?? []]);
                return result;
            })
            .Send("hi").AssertReply("first asks")
            .Send("go").AssertReply("inner prompt")
            .Send("answer").AssertNoReply()
            .StartTestAsync();

        Assert.Equal(["first", "outer"], innerStacks[0]);
        Assert.Equal(["second", "outer"], innerStacks[1]);

        // "second" took first's place, so its result went to "outer" (first never resumed).
        Assert.True(outerSawResult);
        Assert.Equal("outer got answer", host.Results[^1].Result);
        Assert.Equal([("second", DialogReason.EndCalled)], ended);
    }

    [Fact]
    public async Task RunAsyncBeginsTheDialogOnlyWhenNothingIsActive()
    {
        var host = new DialogTestHost();
        var begins = 0;
        var waterfall = new WaterfallDialog("w",
        [
            (step, ct) =>
            {
                begins++;
                return Task.FromResult(Dialog.EndOfTurn);
            },
            (step, ct) => step.EndDialogAsync(step.Result, ct),
        ]);

        await host.Flow(waterfall).Send("a").Send("b").Send("c").StartTestAsync();

        Assert.Equal(2, begins);
        Assert.Equal([DialogTurnStatus.Waiting, DialogTurnStatus.Complete, DialogTurnStatus.Waiting], host.Results.Select(r => r.Status));
        Assert.Equal("b", host.Results[1].Result);
    }

    [Fact]
    public async Task BeginningAnUnknownDialogThrows()
    {
        var host = new DialogTestHost();
        var flow = host.Flow(async (turnContext, ct) =>
            await (await new DialogSet(host.Accessor).CreateContextAsync(turnContext, ct)).BeginDialogAsync("nope", null, ct));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => flow.Send("hi").StartTestAsync());
        Assert.Contains("nope", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddingADifferentDialogWithAnExistingIdThrows()
    {
        var set = new DialogSet();
        var prompt = new TextPrompt("name");
        set.Add(prompt).Add(prompt);

        Assert.Throws<ArgumentException>(() => set.Add(new TextPrompt("name")));
        Assert.Same(prompt, set.Find("name"));
    }

    /// <summary>A text prompt that records when it is ended and why.</summary>
    private sealed class RecordingPrompt(string id, List<(string Id, DialogReason Reason)> ended) : TextPrompt(id)
    {
        public override Task<DialogTurnResult> BeginDialogAsync(DialogContext dc, object? options = null, CancellationToken cancellationToken = default)
            => base.BeginDialogAsync(dc, new PromptOptions { Prompt = MessageFactory.Text("inner prompt") }, cancellationToken);

        public override Task EndDialogAsync(ITurnContext turnContext, DialogInstance instance, DialogReason reason, CancellationToken cancellationToken = default)
        {
            ended.Add((Id, reason));
            return base.EndDialogAsync(turnContext, instance, reason, cancellationToken);
        }
    }
}
