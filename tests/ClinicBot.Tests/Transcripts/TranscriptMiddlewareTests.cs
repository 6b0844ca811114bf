using ClinicBot.Bot.Storage.Sqlite;
using ClinicBot.Bot.Transcripts;
using ClinicBot.Tests.Storage;
using ClinicBot.Tests.Support;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Builder.Adapters;
using Microsoft.Bot.Schema;
using Microsoft.Extensions.Logging;

namespace ClinicBot.Tests.Transcripts;

public sealed class TranscriptMiddlewareTests : IDisposable
{
    private readonly SqliteTestDatabase _files = new();
    private readonly SqliteDatabase _database;
    private readonly ConversationTranscriptStore _store;
    private readonly CapturingLoggerProvider _logs = new();
    private readonly ILoggerFactory _loggers;
    private readonly TestAdapter _adapter;

    public TranscriptMiddlewareTests()
    {
        _database = _files.Open(ConversationTranscriptStore.Schema);
        _store = new ConversationTranscriptStore(_database);
        _loggers = LoggerFactory.Create(builder => builder.AddProvider(_logs));
        _adapter = new TestAdapter(TestAdapter.CreateConversation("transcript-c1", "patient-1", "bot"));
        _adapter.Use(new TranscriptMiddleware(_store, TimeProvider.System, _loggers.CreateLogger<TranscriptMiddleware>()));
    }

    public void Dispose()
    {
        _loggers.Dispose();
        _files.Dispose();
    }

    [Fact]
    public async Task KeepsThePatientsMessageAndTheRepliesInOrderOnceTheTurnEnds()
    {
        await _adapter.ProcessActivityAsync(Message("when are you open?"), ReplyTwiceAsync, default);

        var transcript = await _store.GetAsync("transcript-c1", 10, default);
        Assert.Equal(
            [(TranscriptRole.Patient, "when are you open?"), (TranscriptRole.Bot, "We are open 8 to 6."), (TranscriptRole.Bot, "Anything else?")],
            transcript.Select(entry => (entry.Role, entry.Text)));
        Assert.NotNull(await _store.GetConversationAsync("transcript-c1", default));
    }

    [Fact]
    public async Task TheBotAnswersWithoutWaitingForTheTranscriptToCommitButTheTurnEndsOnlyOnceItHas()
    {
        // Holds the database's single writer, as a slow commit would.
        using var writerHeld = new ManualResetEventSlim();
        var holding = _database.WriteAsync(_ => writerHeld.Wait(TimeSpan.FromSeconds(30)), default);
        var replied = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var turn = _adapter.ProcessActivityAsync(Message("when are you open?"), async (context, cancellationToken) =>
        {
            await ReplyTwiceAsync(context, cancellationToken);
            replied.SetResult();
        }, default);

        await replied.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await Task.Delay(50);
        Assert.False(turn.IsCompleted, "the turn ended before its transcript was committed");

        writerHeld.Set();
        await holding;
        await turn.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(3, (await _store.GetAsync("transcript-c1", 10, default)).Count);
    }

    [Fact]
    public async Task ATranscriptThatCannotBeWrittenDoesNotFailTheTurnAndIsLoggedWithoutTheMessage()
    {
        await _database.WriteAsync(write => write.Command("""
            CREATE TRIGGER refuse_transcript BEFORE INSERT ON transcript_messages
            BEGIN SELECT RAISE(ABORT, 'disk trouble'); END;
            """).ExecuteNonQuery(), default);

        await _adapter.ProcessActivityAsync(Message("my knee hurts after the session"), ReplyTwiceAsync, default);

        Assert.Equal(["We are open 8 to 6.", "Anything else?"], _adapter.ActiveQueue.Select(reply => reply.Text));
        var warnings = _logs.Lines.Where(line => line.StartsWith("Warning", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, warnings.Count); // the patient's message and each of the two replies
        Assert.All(warnings, line => Assert.Contains("transcript-c1", line, StringComparison.Ordinal));
        Assert.DoesNotContain(_logs.Lines, line => line.Contains("knee", StringComparison.Ordinal) || line.Contains("open 8", StringComparison.Ordinal));
    }

    private static Activity Message(string text) => new()
    {
        Type = ActivityTypes.Message,
        Id = Guid.NewGuid().ToString("N"),
        ChannelId = "test",
        Conversation = new ConversationAccount(id: "transcript-c1"),
        From = new ChannelAccount("patient-1", "Dana Smith"),
        Recipient = new ChannelAccount("bot"),
        ServiceUrl = "https://test.invalid",
        Text = text,
    };

    private static async Task ReplyTwiceAsync(ITurnContext context, CancellationToken cancellationToken)
    {
        await context.SendActivityAsync("We are open 8 to 6.", cancellationToken: cancellationToken);
        await context.SendActivityAsync("Anything else?", cancellationToken: cancellationToken);
    }
}
