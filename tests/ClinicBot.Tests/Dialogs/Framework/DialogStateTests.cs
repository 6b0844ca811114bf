using ClinicBot.Dialogs.Framework;
using Microsoft.Bot.Builder;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace ClinicBot.Tests.Dialogs.Framework;

public class DialogStateTests
{
    [Fact]
    public async Task DialogStateSurvivesJsonRoundTripThroughStorage()
    {
        var storage = new JsonRoundTripStorage();
        var host = new DialogTestHost(storage);
        object? rawCountOnSecondTurn = null;
        object? rawOptionsOnSecondTurn = null;

        var waterfall = new WaterfallDialog("intake",
        [
            async (step, ct) =>
            {
                step.Values["count"] = 7;
                step.Values["patient"] = new Patient { Name = "Ada", Allergies = ["penicillin"] };
                step.Values["when"] = new DateTimeOffset(2026, 5, 1, 9, 30, 0, TimeSpan.FromHours(1));
                await step.Context.SendActivityAsync("stored", cancellationToken: ct);
                return Dialog.EndOfTurn;
            },
            async (step, ct) =>
            {
                rawCountOnSecondTurn = step.Values["count"];
                rawOptionsOnSecondTurn = step.Options;
                var patient = step.Values.GetValue<Patient>("patient")!;
                var reason = step.GetOptions<IntakeOptions>()!.Reason;
                var when = step.Values.GetValue<DateTimeOffset>("when");
                await step.Context.SendActivityAsync(
                    $"{patient.Name} {string.Join(',', patient.Allergies)} {step.Values.GetValue<int>("count")} {reason} {when:yyyy-MM-dd HH:mm}",
                    cancellationToken: ct);
                return Dialog.EndOfTurn;
            },
        ]);

        var root = new OptionsPassingDialog(waterfall, new IntakeOptions { Reason = "rash" });
        await host.Flow(root)
            .Send("hi").AssertReply("stored")
            .Send("next").AssertReply("Ada penicillin 7 rash 2026-05-01 09:30")
            .StartTestAsync();

        // The values really went through JSON: the int came back as a long, the options object as a JObject.
        Assert.IsType<long>(rawCountOnSecondTurn);
        Assert.IsType<JObject>(rawOptionsOnSecondTurn);

        // The stored document is plain JSON with no CLR type names, and deserializes back into a DialogState.
        var json = Assert.Single(storage.Json).Value;
        Assert.DoesNotContain("$type", json, StringComparison.Ordinal);
        var stored = JObject.Parse(json)["DialogState"]!.ToObject<DialogState>()!;
        Assert.Equal(["root"], stored.DialogStack.Select(i => i.Id));
        var inner = stored.DialogStack[0].State.GetValue<DialogState>(ComponentDialog.PersistedDialogState)!;
        Assert.Equal(["intake"], inner.DialogStack.Select(i => i.Id));
    }

    [Fact]
    public void DialogStateRoundTripsThroughNewtonsoftWithoutTypeNames()
    {
        var state = new DialogState();
        state.DialogStack.Add(new DialogInstance { Id = "confirm", State = { ["attemptCount"] = 2, ["options"] = new PromptOptions { MaxAttempts = 3 } } });
        state.DialogStack.Add(new DialogInstance { Id = "root" });

        var json = JsonConvert.SerializeObject(state, new JsonSerializerSettings { TypeNameHandling = TypeNameHandling.None });
        var back = JsonConvert.DeserializeObject<DialogState>(json)!;

        Assert.Equal(["confirm", "root"], back.DialogStack.Select(i => i.Id));
        Assert.Equal(2, back.DialogStack[0].State.GetValue<int>("attemptCount"));
        Assert.Equal(3, back.DialogStack[0].State.GetValue<PromptOptions>("options")!.MaxAttempts);
    }

    [Fact]
    public void GetValueConvertsJsonTokensAndPrimitives()
    {
        var state = new Dictionary<string, object?>
        {
            ["long"] = 5L,
            ["object"] = JObject.FromObject(new Patient { Name = "Grace" }),
            ["array"] = new JArray("a", "b"),
            ["null"] = JValue.CreateNull(),
            ["clr"] = new Patient { Name = "Alan" },
        };

        Assert.Equal(5, state.GetValue<int>("long"));
        Assert.Equal("Grace", state.GetValue<Patient>("object")!.Name);
        Assert.Equal(["a", "b"], state.GetValue<List<string>>("array")!);
        Assert.Null(state.GetValue<Patient>("null"));
        Assert.Same(state["clr"], state.GetValue<Patient>("clr"));
        Assert.Equal(0, state.GetValue<int>("missing"));
        Assert.Equal(9, state.GetValue("missing", 9));
        Assert.Equal(9, state.GetValue("null", 9));
    }

    [Fact]
    public void GetOrAddStoresTheTypedObjectBackSoMutationsPersist()
    {
        var state = new Dictionary<string, object?> { ["patient"] = JObject.FromObject(new Patient { Name = "Ada" }) };

        state.GetOrAdd("patient", () => new Patient()).Name = "Ada Lovelace";
        state.GetOrAdd("created", () => new Patient { Name = "New" });

        Assert.Equal("Ada Lovelace", Assert.IsType<Patient>(state["patient"]).Name);
        Assert.Equal("New", Assert.IsType<Patient>(state["created"]).Name);
    }

    private sealed class Patient
    {
        public string Name { get; set; } = string.Empty;

        public List<string> Allergies { get; set; } = [];
    }

    private sealed class IntakeOptions
    {
        public string Reason { get; set; } = string.Empty;
    }

    /// <summary>A component that starts its waterfall with typed options.</summary>
    private sealed class OptionsPassingDialog : ComponentDialog
    {
        private readonly object _options;

        public OptionsPassingDialog(Dialog inner, object options)
            : base("root")
        {
            _options = options;
            AddDialog(inner);
        }

        protected override Task<DialogTurnResult> OnBeginDialogAsync(DialogContext innerDc, object? options, CancellationToken cancellationToken = default)
            => innerDc.BeginDialogAsync(InitialDialogId!, _options, cancellationToken);
    }
}
