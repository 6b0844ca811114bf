using ClinicBot.Dialogs.Framework;
using Microsoft.Bot.Builder;

namespace ClinicBot.Tests.Dialogs.Framework;

public class WaterfallDialogTests
{
    [Fact]
    public async Task WaterfallRunsStepsInOrderAcrossTurns()
    {
        var host = new DialogTestHost();
        var waterfall = new WaterfallDialog("booking",
        [
            async (step, ct) =>
            {
                await step.Context.SendActivityAsync("step 1", cancellationToken: ct);
                return Dialog.EndOfTurn;
            },
            async (step, ct) =>
            {
                await step.Context.SendActivityAsync($"step 2 got {step.Result}", cancellationToken: ct);
                return Dialog.EndOfTurn;
            },
            async (step, ct) => await step.EndDialogAsync($"done with {step.Result}", ct),
        ]);

        await host.Flow(waterfall)
            .Send("hi").AssertReply("step 1")
            .Send("first answer").AssertReply("step 2 got first answer")
            .Send("second answer").AssertNoReply()
            .StartTestAsync();

        Assert.Equal([DialogTurnStatus.Waiting, DialogTurnStatus.Waiting, DialogTurnStatus.Complete], host.Results.Select(r => r.Status));
        Assert.Equal("done with second answer", host.Results[^1].Result);
        Assert.Empty(host.Stacks[^1]);
    }

    [Fact]
    public async Task NextAsyncRunsTheFollowingStepInTheSameTurnWithItsValue()
    {
        var host = new DialogTestHost();
        var waterfall = new WaterfallDialog("w",
        [
            (step, ct) => step.NextAsync(42, ct),
            async (step, ct) =>
            {
                await step.Context.SendActivityAsync($"got {step.Result} via {step.Reason}", cancellationToken: ct);
                return Dialog.EndOfTurn;
            },
        ]);

        await host.Flow(waterfall)
            .Send("hi").AssertReply("got 42 via NextCalled")
            .StartTestAsync();
    }

    [Fact]
    public async Task NextAsyncCannotBeCalledTwiceInOneStep()
    {
        var host = new DialogTestHost();
        var waterfall = new WaterfallDialog("w",
        [
            async (step, ct) =>
            {
                await step.NextAsync(null, ct);
                return await step.NextAsync(null, ct);
            },
            (step, ct) => Task.FromResult(Dialog.EndOfTurn),
        ]);

        await Assert.ThrowsAsync<InvalidOperationException>(() => host.Flow(waterfall).Send("hi").StartTestAsync());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ValuesPersistAcrossTurns(bool useMemoryStorage)
    {
        var host = new DialogTestHost(useMemoryStorage ? new MemoryStorage() : null);
        var waterfall = new WaterfallDialog("w",
        [
            async (step, ct) =>
            {
                step.Values["name"] = step.Context.Activity.Text;
                step.Values["age"] = 41;
                await step.Context.SendActivityAsync("saved", cancellationToken: ct);
                return Dialog.EndOfTurn;
            },
            async (step, ct) =>
            {
                step.Values["age"] = step.Values.GetValue<int>("age") + 1;
                await step.Context.SendActivityAsync("incremented", cancellationToken: ct);
                return Dialog.EndOfTurn;
            },
            async (step, ct) =>
            {
                await step.Context.SendActivityAsync($"{step.Values.GetValue<string>("name")} is {step.Values.GetValue<int>("age")}", cancellationToken: ct);
                return await step.EndDialogAsync(null, ct);
            },
        ]);

        await host.Flow(waterfall)
            .Send("Ada").AssertReply("saved")
            .Send("x").AssertReply("incremented")
            .Send("y").AssertReply("Ada is 42")
            .StartTestAsync();
    }

    [Fact]
    public async Task StepNamesComeFromStepMethodNames()
    {
        var host = new DialogTestHost();
        var dialog = new NamedStepsDialog();

        await host.Flow(dialog)
            .Send("hi").AssertReply(nameof(NamedStepsDialog.AskStepAsync))
            .Send("ok").AssertReply(nameof(NamedStepsDialog.ConfirmStepAsync))
            .StartTestAsync();

        Assert.Equal([nameof(NamedStepsDialog.AskStepAsync), nameof(NamedStepsDialog.ConfirmStepAsync)], dialog.StepNames);
    }

    [Fact]
    public void LambdaStepsGetPositionalNames()
    {
        var waterfall = new WaterfallDialog("intake", [(s, ct) => s.NextAsync(null, ct), (s, ct) => s.NextAsync(null, ct)]);

        Assert.Equal(["intake.step0", "intake.step1"], waterfall.StepNames);
    }

    [Fact]
    public async Task WaterfallResumesAtTheSameNamedStepAfterAStepIsInserted()
    {
        var storage = new JsonRoundTripStorage();
        var before = new DialogTestHost(storage);
        await before.Flow(new NamedStepsDialog())
            .Send("hi").AssertReply(nameof(NamedStepsDialog.AskStepAsync))
            .StartTestAsync();

        // A deployment inserts a new step before AskStepAsync; the in-flight conversation continues after AskStepAsync.
        var after = new DialogTestHost(storage);
        await after.Flow(new NamedStepsDialog(insertIntroStep: true))
            .Send("answer").AssertReply(nameof(NamedStepsDialog.ConfirmStepAsync))
            .StartTestAsync();
    }

    private sealed class NamedStepsDialog : WaterfallDialog
    {
        public NamedStepsDialog(bool insertIntroStep = false)
            : base("named")
        {
            if (insertIntroStep)
            {
                AddStep(IntroStepAsync);
            }

            AddStep(AskStepAsync);
            AddStep(ConfirmStepAsync);
        }

        public static async Task<DialogTurnResult> IntroStepAsync(WaterfallStepContext step, CancellationToken cancellationToken)
        {
            await step.Context.SendActivityAsync(step.StepName, cancellationToken: cancellationToken);
            return await step.NextAsync(null, cancellationToken);
        }

        public static async Task<DialogTurnResult> AskStepAsync(WaterfallStepContext step, CancellationToken cancellationToken)
        {
            await step.Context.SendActivityAsync(step.StepName, cancellationToken: cancellationToken);
            return Dialog.EndOfTurn;
        }

        public static async Task<DialogTurnResult> ConfirmStepAsync(WaterfallStepContext step, CancellationToken cancellationToken)
        {
            await step.Context.SendActivityAsync(step.StepName, cancellationToken: cancellationToken);
            return Dialog.EndOfTurn;
        }
    }
}
