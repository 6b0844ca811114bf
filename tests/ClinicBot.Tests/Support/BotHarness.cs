using ClinicBot.Bench;
using ClinicBot.Tests.Storage;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Builder.Adapters;
using Microsoft.Bot.Connector;
using Microsoft.Bot.Schema;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace ClinicBot.Tests.Support;

/// <summary>
/// The real conversation layer (dialogs, middleware, bot) wired as the host wires it, on Bot Builder's
/// TestAdapter, with a controllable clock, a scripted recognizer and real stores on a temporary SQLite file.
/// </summary>
public sealed class BotHarness : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly SqliteTestDatabase _database;
    private readonly string _channelId;

    public BotHarness(Action<IServiceCollection>? configure = null, string channelId = Channels.Test, DateTimeOffset? now = null)
    {
        // Monday 10:00 in New York unless a test says otherwise: the clinic is open.
        Clock = new FakeTimeProvider(now ?? new DateTimeOffset(2026, 11, 30, 15, 0, 0, TimeSpan.Zero));
        _database = new SqliteTestDatabase();
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.AddProvider(Logs));
        services.AddSingleton<TimeProvider>(Clock);
        services.AddClinicBotConversationInProcess(_database.Open(InProcessConversation.Migrations), Storage, Recognizer, SharedRedFlagModel.Instance);
        configure?.Invoke(services);
        _services = services.BuildServiceProvider(validateScopes: true);

        _channelId = channelId;
        Adapter = AdapterFor("conv-1");
    }

    public FakeTimeProvider Clock { get; }

    public MemoryStorage Storage { get; } = new();

    public ScriptedRecognizer Recognizer { get; } = new();

    public CapturingLoggerProvider Logs { get; } = new();

    public TestAdapter Adapter { get; }

    public IBot Bot => _services.GetRequiredService<IBot>();

    public T Get<T>()
        where T : notnull => _services.GetRequiredService<T>();

    public TestFlow Flow() => new(Adapter, Bot);

    /// <summary>A flow in another conversation of the same patient (a later visit).</summary>
    public TestFlow Flow(string conversationId, string userId = "patient-1") => new(AdapterFor(conversationId, userId), Bot);

    /// <summary>An adapter wired like the host's: same middleware, same turn-error policy.</summary>
    public TestAdapter AdapterFor(string conversationId, string userId = "patient-1") =>
        _services.CreateAdapter(conversationId, userId, _channelId);

    /// <summary>Starts a conversation as channels do: the patient joins, optionally with a name.</summary>
    public static Activity Joined(string? name, string userId = "patient-1") => new()
    {
        Type = ActivityTypes.ConversationUpdate,
        MembersAdded = [new ChannelAccount(userId, name), new ChannelAccount("bot", "ClinicBot")],
    };

    public static Activity Message(string text, string? fromName = null) => new()
    {
        Type = ActivityTypes.Message,
        Text = text,
        From = fromName is null ? null : new ChannelAccount("patient-1", fromName),
    };

    /// <summary>Every patient-visible text the bot sent in any conversation of this harness so far.</summary>
    public static IEnumerable<string> SuggestedActionTitles(IActivity activity) =>
        ((Activity)activity).SuggestedActions?.Actions?.Select(a => a.Title) ?? [];

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        _database.Dispose();
    }
}
