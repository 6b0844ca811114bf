using BenchmarkDotNet.Attributes;
using ClinicBot.Bot.Recognition;
using ClinicBot.Bot.Safety;
using ClinicBot.Bot.Storage;
using ClinicBot.Bot.Storage.Sqlite;
using ClinicBot.Dialogs.Framework;
using ClinicBot.Dialogs.Knowledge;
using ClinicBot.Dialogs.Patients;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Builder.Adapters;
using Microsoft.Bot.Schema;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ClinicBot.Bench.Micro;

/// <summary>Where the micro-benchmarks find the repository's files and put their scratch data.</summary>
internal static class MicroPaths
{
    public static string KnowledgeBase => Path.Combine(BenchProgram.RepositoryRoot(), "bot", "knowledge", "clinic-faq.yaml");

    public static string Scratch(string name)
    {
        var folder = Path.Combine(Path.GetTempPath(), "clinicbot-bench-micro", name + "-" + Environment.ProcessId);
        Directory.CreateDirectory(folder);
        return folder;
    }
}

/// <summary>The embedded recognizer (MiniLM embedding + classifier) on one patient question.</summary>
[MemoryDiagnoser]
public class RecognizerBenchmarks
{
    private KnowledgeBaseStore _store = null!;
    private YamlKnowledgeBaseSource _source = null!;
    private MiniLmSentenceEmbedder _embedder = null!;
    private EmbeddedQuestionRecognizer _recognizer = null!;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        var scratch = MicroPaths.Scratch("recognizer");
        _source = new YamlKnowledgeBaseSource(MicroPaths.KnowledgeBase, Path.Combine(scratch, "none.yaml"));
        _store = new KnowledgeBaseStore(_source, KnowledgeBaseYaml.LoadFile(MicroPaths.KnowledgeBase), TimeProvider.System);
        _embedder = new MiniLmSentenceEmbedder(NullLogger<MiniLmSentenceEmbedder>.Instance);
        var options = new KnowledgeOptions { Path = MicroPaths.KnowledgeBase, EmbeddingCachePath = Path.Combine(Path.GetTempPath(), "clinicbot-bench-embeddings") };
        _recognizer = new EmbeddedQuestionRecognizer(_store, _embedder, Options.Create(options), NullLogger<EmbeddedQuestionRecognizer>.Instance);
        _recognizer.WarmUpAsync(CancellationToken.None).GetAwaiter().GetResult();
    }

    [Benchmark(Description = "Recognizer: one question (EmbeddedQuestionRecognizer)")]
    public Task<RecognitionResult> Recognize() =>
        _recognizer.RecognizeAsync(Scripts.KnowledgeQuestions[_next++ % Scripts.KnowledgeQuestions.Count], CancellationToken.None);

    [GlobalCleanup]
    public void Cleanup()
    {
        _recognizer.Dispose();
        _embedder.Dispose();
        _store.Dispose();
        _source.Dispose();
    }
}

/// <summary>
/// One dialog turn in-process: the real ClinicBotHandler, dialogs and middleware wired as the host wires them
/// (<see cref="InProcessConversation"/>, as the tests' BotHarness), on Bot Builder's TestAdapter with MemoryStorage,
/// running the bench's dialog script (no recognizer) in one long conversation.
/// </summary>
[MemoryDiagnoser]
public class DialogTurnBenchmarks
{
    private ServiceProvider _services = null!;
    private MiniLmSentenceEmbedder _embedder = null!;
    private QueryEmbeddingBatcher _queries = null!;
    private TestAdapter _adapter = null!;
    private IBot _bot = null!;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        var scratch = MicroPaths.Scratch("dialog");
        var database = new SqliteDatabase(
            Options.Create(new StorageOptions { Sqlite = new SqliteStorageOptions { Path = Path.Combine(scratch, "clinicbot.db") } }),
            InProcessConversation.Migrations);
        _embedder = new MiniLmSentenceEmbedder(NullLogger<MiniLmSentenceEmbedder>.Instance);
        _queries = new QueryEmbeddingBatcher(_embedder);
        var redFlags = EmbeddingRedFlagModel.WithShippedExamples(_embedder, _queries, scratch, NullLogger<EmbeddingRedFlagModel>.Instance);
        redFlags.WarmUpAsync(CancellationToken.None).GetAwaiter().GetResult();
        _services = new ServiceCollection()
            .AddClinicBotConversationInProcess(database, new MemoryStorage(), new NoAnswerRecognizer(), redFlags)
            .BuildServiceProvider();
        _bot = _services.GetRequiredService<IBot>();
        _adapter = _services.CreateAdapter("micro-dialog", "patient-1", Microsoft.Bot.Connector.Channels.Webchat);

        _adapter.ProcessActivityAsync(
            new Activity { Type = ActivityTypes.ConversationUpdate, MembersAdded = [new ChannelAccount("patient-1", "Alex Rivera"), new ChannelAccount("bot", "ClinicBot")] },
            _bot.OnTurnAsync).GetAwaiter().GetResult();
        _adapter.ActiveQueue.Clear();
    }

    [Benchmark(Description = "Dialog turn in-process (TestAdapter, dialog script)")]
    public async Task Turn()
    {
        var step = Scripts.Dialog.Loop[_next++ % Scripts.Dialog.Loop.Count];
        await _adapter.ProcessActivityAsync(
            new Activity { Type = ActivityTypes.Message, Text = step.Text, From = new ChannelAccount("patient-1", "Alex Rivera") },
            _bot.OnTurnAsync);
        _adapter.ActiveQueue.Clear();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _services.Dispose();
        _queries.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _embedder.Dispose();
    }

    private sealed class NoAnswerRecognizer : IQuestionRecognizer
    {
        public Task<RecognitionResult> RecognizeAsync(string text, CancellationToken cancellationToken) => Task.FromResult(RecognitionResult.None(0.4));
    }
}

/// <summary>SqliteStorage: read then write one conversation's state (the two store round trips of a turn).</summary>
[MemoryDiagnoser]
public class StorageBenchmarks
{
    private const string Key = "webchat/conversations/micro-storage";
    private SqliteDatabase _database = null!;
    private SqliteStorage _storage = null!;

    [GlobalSetup]
    public void Setup()
    {
        var scratch = MicroPaths.Scratch("storage");
        _database = new SqliteDatabase(
            Options.Create(new StorageOptions { Sqlite = new SqliteStorageOptions { Path = Path.Combine(scratch, "clinicbot.db") } }),
            [SqliteStorage.Migration]);
        _storage = new SqliteStorage(_database);
        var state = new Dictionary<string, object>
        {
            [nameof(ConversationData)] = new ConversationData { Greeted = true, Misunderstandings = 1 },
            [nameof(DialogState)] = new DialogState
            {
                DialogStack =
                [
                    new DialogInstance { Id = "MainDialog", State = new Dictionary<string, object?> { ["stepIndex"] = 0 } },
                    new DialogInstance { Id = "RequestDialog", State = new Dictionary<string, object?> { ["text"] = "Is it normal that my knee still aches the day after my session?", ["plan"] = "FollowUp", ["department"] = "clinical" } },
                ],
            },
        };
        _storage.WriteAsync(new Dictionary<string, object> { [Key] = state }).GetAwaiter().GetResult();
    }

    [Benchmark(Description = "SqliteStorage: read + write one conversation's state")]
    public async Task ReadWrite()
    {
        var items = await _storage.ReadAsync([Key]);
        await _storage.WriteAsync(new Dictionary<string, object> { [Key] = items[Key] });
    }

    [GlobalCleanup]
    public void Cleanup() => _database.Dispose();
}

/// <summary>Loading and validating the knowledge base file (what the bot does at start and on every staff edit).</summary>
[MemoryDiagnoser]
public class KnowledgeBaseLoadBenchmarks
{
    [Benchmark(Description = "KnowledgeBaseYaml.LoadFile (clinic-faq.yaml)")]
    public KnowledgeBase Load() => KnowledgeBaseYaml.LoadFile(MicroPaths.KnowledgeBase);
}
