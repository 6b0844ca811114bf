using System.Text;
using ClinicBot.Tests.Support;
using Newtonsoft.Json;

namespace ClinicBot.Tests.Scenarios;

/// <summary>
/// One running bot (real host, real recognizer, real SQLite) and one loopback connector shared by the
/// scenario tests; each test uses its own conversation ids.
/// </summary>
public class ScenarioFixture : IAsyncLifetime
{
    public ClinicBotFactory App { get; private set; } = null!;

    public ReplySink Sink { get; private set; } = null!;

    public HttpClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Sink = await ReplySink.StartAsync();
        App = CreateApp();
        Client = App.CreateClient();
    }

    protected virtual ClinicBotFactory CreateApp() => new();

    public virtual async Task DisposeAsync()
    {
        Client.Dispose();
        await App.DisposeAsync();
        await Sink.DisposeAsync();
    }

    /// <summary>A patient on one channel; every send waits until the bot's replies to it have arrived.</summary>
    public Patient Patient(string conversationId, string userId, string? name, string channelId = "webchat") =>
        new(this, conversationId, userId, name, channelId);
}

public sealed class Patient(ScenarioFixture fixture, string conversationId, string userId, string? name, string channelId)
{
    public string ConversationId => conversationId;

    /// <summary>Everything the bot has said in this conversation.</summary>
    public IReadOnlyList<string> Heard => fixture.Sink.Texts(conversationId);

    public Task<IReadOnlyList<string>> JoinAsync() =>
        PostAsync(new Dictionary<string, object?>
        {
            ["type"] = "conversationUpdate",
            ["membersAdded"] = new[] { new { id = userId, name }, new { id = "bot", name = (string?)"ClinicBot" } },
        });

    /// <summary>What a website sends on open: the portal's name for the patient (Web Chat's join event).</summary>
    public Task<IReadOnlyList<string>> OpenWidgetAsync() =>
        PostAsync(new Dictionary<string, object?>
        {
            ["type"] = "event",
            ["name"] = "webchat/join",
            ["value"] = new { name },
        });

    public Task<IReadOnlyList<string>> SayAsync(string text) =>
        PostAsync(new Dictionary<string, object?> { ["type"] = "message", ["text"] = text });

    private async Task<IReadOnlyList<string>> PostAsync(Dictionary<string, object?> activity)
    {
        var before = Heard.Count;
        activity["id"] = Guid.NewGuid().ToString("N");
        activity["channelId"] = channelId;
        activity["serviceUrl"] = fixture.Sink.ServiceUrl;
        activity["conversation"] = new { id = conversationId };
        activity["from"] = new { id = userId, name };
        activity["recipient"] = new { id = "bot", name = "ClinicBot" };
        activity["timestamp"] = DateTimeOffset.UtcNow;
        using var response = await fixture.Client.PostAsync("/api/messages", new StringContent(JsonConvert.SerializeObject(activity), Encoding.UTF8, "application/json"));
        response.EnsureSuccessStatusCode();

        // The connector calls complete before the endpoint returns, so replies are already recorded.
        return Heard.Skip(before).ToList();
    }
}
