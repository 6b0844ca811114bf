using ClinicBot.Dialogs.Framework;
using ClinicBot.Dialogs.Patients;
using ClinicBot.Dialogs.State;
using Microsoft.Bot.Schema;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace ClinicBot.Tests.Dialogs.State;

/// <summary>
/// StateJson writes its type names from a per-type cache (<see cref="StateTypeNames"/>) and its text through a reused
/// builder; the stored documents must be exactly the ones Newtonsoft writes on its own, or state written before would
/// read differently and Bot Builder's BotState could no longer share it.
/// </summary>
public sealed class StateJsonTests
{
    // StateJson's settings without the cached names: what Newtonsoft writes by itself.
#pragma warning disable CA2326 // TypeNameHandling: the form under test.
    private static readonly JsonSerializerSettings Uncached = new()
    {
        TypeNameHandling = TypeNameHandling.Auto,
        ReferenceLoopHandling = ReferenceLoopHandling.Error,
        NullValueHandling = NullValueHandling.Ignore,
    };
#pragma warning restore CA2326

    public static TheoryData<object> ValuesOfManyShapes() => new()
    {
        new Dictionary<string, object?>(),
        new List<DialogInstance>(),
        new Dictionary<string, List<int?>>(),
        new Dictionary<string, Dictionary<string, DialogInstance[]>>(),
        new int[] { 1, 2 },
        new DialogInstance[] { new() { Id = "x" } },
        new Nested.Inner(),
        new Generic<Dictionary<string, Nested.Inner>, List<string>>(),
        new Generic<int, Nested.Inner>[] { new() },
        new List<Generic<string, int[]>>(),
        new JObject(),
        new Activity(),
    };

    [Theory]
    [MemberData(nameof(ValuesOfManyShapes))]
    public void ATypeNameIsTheOneNewtonsoftWritesWithSimpleAssemblyNames(object value)
    {
        // TypeNameHandling.All names every object and array; Newtonsoft computes the name itself (no binder).
        var written = JsonConvert.SerializeObject(new Holder { Value = value }, new JsonSerializerSettings { TypeNameHandling = TypeNameHandling.All });
        var expected = (string?)JObject.Parse(written)["Value"]?["$type"];

        if (value is JObject)
        {
            Assert.Null(expected); // a JSON tree is written as is; it carries no name to compare
            return;
        }

        Assert.Equal(expected, StateTypeNames.SimpleName(value.GetType()));
    }

    [Fact]
    public void AConversationDocumentIsWrittenExactlyAsNewtonsoftWritesIt()
    {
        var document = ConversationDocument();

        var text = StateJson.Serialize(document);

        Assert.Equal(SerializeUncached(document), text);
        Assert.Contains("\"$type\":\"ClinicBot.Dialogs.Framework.DialogState, ClinicBot.Dialogs\"", text, StringComparison.Ordinal);
    }

    [Fact]
    public void ADocumentReadsBackIntoTheTypesItNamesAndWritesTheSameTextAgain()
    {
        var text = StateJson.Serialize(ConversationDocument());

        var read = StateJson.Deserialize<Dictionary<string, object?>>(text);

        var dialog = Assert.IsType<DialogState>(read["DialogState"]);
        Assert.Equal(["ConfirmPrompt", "RequestDialog"], dialog.DialogStack.Select(d => d.Id));
        Assert.IsType<Dictionary<string, object?>>(dialog.DialogStack[1].State["options"]);
        Assert.Equal(text, StateJson.Serialize(read));
    }

    [Fact]
    public async Task DocumentsWrittenOnManyThreadsAtOnceAreEachWhole()
    {
        var documents = Enumerable.Range(0, 64).Select(i => ConversationDocument("patient " + i)).ToList();
        var expected = documents.Select(SerializeUncached).ToList();

        var written = await Task.WhenAll(documents.Select(d => Task.Run(() => StateJson.Serialize(d))));

        Assert.Equal(expected, written);
    }

    [Fact]
    public void ALongDocumentIsWrittenWhole()
    {
        // Far beyond the builder capacity a thread keeps between documents.
        var document = ConversationDocument(new string('a', 200_000));

        Assert.Equal(SerializeUncached(document), StateJson.Serialize(document));
        Assert.Equal(SerializeUncached(ConversationDocument()), StateJson.Serialize(ConversationDocument()));
    }

    private static string SerializeUncached(object value)
    {
        using var text = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        using (var writer = new JsonTextWriter(text))
        {
            JsonSerializer.Create(Uncached).Serialize(writer, value, typeof(object));
        }

        return text.ToString();
    }

    private static Dictionary<string, object?> ConversationDocument(string question = "Is it normal that my knee still aches?") => new()
    {
        [nameof(ConversationData)] = new ConversationData { Greeted = true, Misunderstandings = 1, LastMood = "calm" },
        [nameof(DialogState)] = new DialogState
        {
            DialogStack =
            [
                new DialogInstance { Id = "ConfirmPrompt", State = new Dictionary<string, object?> { ["attempts"] = 1, ["expires"] = new DateTimeOffset(2026, 11, 29, 4, 0, 0, TimeSpan.Zero) } },
                new DialogInstance
                {
                    Id = "RequestDialog",
                    State = new Dictionary<string, object?>
                    {
                        ["stepIndex"] = 2,
                        ["options"] = new Dictionary<string, object?> { ["text"] = question, ["tags"] = new List<string> { "knee", "pain" } },
                        ["counts"] = new int[] { 1, 2, 3 },
                    },
                },
            ],
        },
    };

    private sealed class Holder
    {
        public object? Value { get; set; }
    }

    public static class Nested
    {
        public sealed class Inner
        {
            public int Number { get; set; } = 1;
        }
    }

    public sealed class Generic<TFirst, TSecond>
    {
        public TFirst? First { get; set; }

        public TSecond? Second { get; set; }
    }
}
