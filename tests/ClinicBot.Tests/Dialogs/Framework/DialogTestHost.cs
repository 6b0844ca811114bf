using ClinicBot.Dialogs.Framework;
using ClinicBot.Dialogs.State;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Builder.Adapters;

namespace ClinicBot.Tests.Dialogs.Framework;

/// <summary>
/// Runs dialogs through Bot Builder's TestAdapter with the bot's <see cref="StateStore"/> saved every turn. Defaults to
/// <see cref="JsonRoundTripStorage"/> (plain JSON, no type names); pass <c>new MemoryStorage()</c> to use Bot Builder's own,
/// which keeps CLR types via TypeNameHandling.All and so would hide JSON type loss.
/// </summary>
internal sealed class DialogTestHost
{
    public DialogTestHost(IStorage? storage = null)
    {
        Storage = storage ?? new JsonRoundTripStorage();
        State = new StateStore(Storage);
        Accessor = State.ConversationProperty<DialogState>("DialogState");
    }

    public IStorage Storage { get; }

    public StateStore State { get; }

    public IStatePropertyAccessor<DialogState> Accessor { get; }

    /// <summary>Results of each turn, in order.</summary>
    public List<DialogTurnResult> Results { get; } = [];

    /// <summary>Dialog stack ids (top first) at the end of each turn.</summary>
    public List<string[]> Stacks { get; } = [];

    /// <summary>A flow that runs <paramref name="dialog"/> with <see cref="DialogExtensions.RunAsync"/> each turn.</summary>
    public TestFlow Flow(Dialog dialog) => Flow(async (turnContext, cancellationToken) =>
        await dialog.RunAsync(turnContext, Accessor, cancellationToken));

    /// <summary>A flow that runs custom turn logic returning a turn result.</summary>
    public TestFlow Flow(Func<ITurnContext, CancellationToken, Task<DialogTurnResult>> turn)
    {
        var adapter = new TestAdapter(TestAdapter.CreateConversation("dialog-framework-tests"));
        return new TestFlow(adapter, async (turnContext, cancellationToken) =>
        {
            var result = await turn(turnContext, cancellationToken);
            Results.Add(result);
            var state = await Accessor.GetAsync(turnContext, () => new DialogState(), cancellationToken);
            Stacks.Add([.. state.DialogStack.Select(i => i.Id)]);
            await State.SaveChangesAsync(turnContext, cancellationToken);
        });
    }
}
