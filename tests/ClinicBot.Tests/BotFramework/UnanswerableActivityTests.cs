using System.Net;
using ClinicBot.Bot.BotFramework;
using ClinicBot.Tests.Support;
using Microsoft.Bot.Schema;

namespace ClinicBot.Tests.BotFramework;

/// <summary>
/// Activities /api/messages accepted although no turn could answer them, most found by the fuzz test
/// (<c>HostileInputTests</c>): the turn failed on its first reply and the turn-error apology failed the same way, or
/// the SDK answered with a status that is not a reason. Each is now refused at the edge with a 400 and a reason, before
/// any turn runs; ids at the limit are still answered.
/// </summary>
public sealed class UnanswerableActivityTests(UnanswerableActivityTests.Host host) : IClassFixture<UnanswerableActivityTests.Host>
{
    public static TheoryData<string, string> RefusedShapes => new()
    {
        // The fuzz failure: percent-encoded, the id outgrows the request line the connector accepts.
        { "activity id of 48,385 'é'", "'id'" },
        { "activity id one character over the limit", "'id'" },
        { "activity id with a NUL character", "'id'" },

        // The connector sends the conversation id in a header, where these throw before the request leaves.
        { "conversation id with a non-ASCII character", "'conversation.id'" },
        { "conversation id with a line break", "'conversation.id'" },
        { "conversation id one character over the limit", "'conversation.id'" },

        // Also from the fuzz test: nothing speaking HTTP listens on tcpmux, so every reply was refused.
        { "service URL on port 1", "'serviceUrl'" },
        { "service URL on the SMTP port", "'serviceUrl'" },

        // Also from the fuzz test: the SDK answered 501, which is neither a reply nor a reason. For the invokes it
        // knows it answered 400 only after the turn had run (and recorded the delivery).
        { "invoke", "'invoke'" },
        { "invoke the SDK knows, with a payload it cannot read", "'invoke'" },

        // Not produced by the fuzz generator, found probing each field: the SDK's ActivityHandler threw
        // NullReferenceException on a null member.
        { "conversation update with a null added member", "'membersAdded'" },
        { "conversation update with a null removed member", "'membersRemoved'" },
    };

    [Theory]
    [MemberData(nameof(RefusedShapes))]
    public async Task AnActivityNoTurnCanAnswerGets400WithAReasonAndRunsNoTurn(string shape, string reason)
    {
        var conversationId = "conv-refused-" + Guid.NewGuid().ToString("N")[..8];
        var logged = host.Factory.Logs.Lines.Count;
        using var response = await host.Factory.PostActivityAsync(host.Client, host.Sink, conversationId, "what are your hours?", shape: activity => Apply(shape, activity));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(reason, System.Text.RegularExpressions.Regex.Unescape(await response.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        AssertNoTurnFailed(logged);
        Assert.Empty(host.Sink.Texts(conversationId));
    }

    [Fact]
    public async Task IdsAtTheLimitAreAnswered()
    {
        // Teams-style punctuation plus a space, padded to the limit; the activity id at the limit in a two-byte character.
        var conversationId = ("a:1 Zx;messageid=1616@thread.tacv2-" + Guid.NewGuid().ToString("N")).PadRight(BotMessagesEndpoint.MaxIdLength, '_');
        var logged = host.Factory.Logs.Lines.Count;
        using var response = await host.Factory.PostActivityAsync(host.Client, host.Sink, conversationId, "what are your hours?", shape: activity => activity.Id = new string('é', BotMessagesEndpoint.MaxIdLength));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await host.Sink.WaitForMessageAsync(conversationId, text => text.Length > 0);
        AssertNoTurnFailed(logged);
    }

    private static void Apply(string shape, Activity activity)
    {
        switch (shape)
        {
            case "activity id of 48,385 'é'":
                activity.Id = new string('é', 48_385);
                break;
            case "activity id one character over the limit":
                activity.Id = new string('x', BotMessagesEndpoint.MaxIdLength + 1);
                break;
            case "activity id with a NUL character":
                activity.Id = "\u0000";
                break;
            case "conversation id with a non-ASCII character":
                activity.Conversation.Id += "-é";
                break;
            case "conversation id with a line break":
                activity.Conversation.Id += "\nx";
                break;
            case "conversation id one character over the limit":
                activity.Conversation.Id = activity.Conversation.Id.PadRight(BotMessagesEndpoint.MaxIdLength + 1, 'y');
                break;
            case "service URL on port 1":
                activity.ServiceUrl = "http://127.0.0.1:1/";
                break;
            case "service URL on the SMTP port":
                activity.ServiceUrl = "http://localhost:25/";
                break;
            case "invoke":
                activity.Type = ActivityTypes.Invoke;
                break;
            case "invoke the SDK knows, with a payload it cannot read":
                activity.Type = ActivityTypes.Invoke;
                activity.Name = "adaptiveCard/action";
                break;
            case "conversation update with a null added member":
                activity.Type = ActivityTypes.ConversationUpdate;
                activity.MembersAdded = [null!, new ChannelAccount("patient-1", "Dana Smith")];
                break;
            case "conversation update with a null removed member":
                activity.Type = ActivityTypes.ConversationUpdate;
                activity.MembersRemoved = [null!];
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(shape), shape, "no such shape");
        }
    }

    private void AssertNoTurnFailed(int loggedBefore)
    {
        // The endpoint answers after the turn, its error handler included, has finished.
        var errors = host.Factory.Logs.Lines.Skip(loggedBefore)
            .Where(l => l.StartsWith("Error", StringComparison.Ordinal) || l.StartsWith("Critical", StringComparison.Ordinal) || l.Contains("Turn failed", StringComparison.Ordinal))
            .ToList();
        Assert.True(errors.Count == 0, string.Join(Environment.NewLine, errors));
    }

    /// <summary>One bot and one reply sink for all cases; each case uses its own conversation.</summary>
    public sealed class Host : IAsyncLifetime
    {
        public ReplySink Sink { get; private set; } = null!;

        public ClinicBotFactory Factory { get; } = new();

        public HttpClient Client { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Sink = await ReplySink.StartAsync();
            Client = Factory.CreateClient();
        }

        public async Task DisposeAsync()
        {
            Client.Dispose();
            await Factory.DisposeAsync();
            await Sink.DisposeAsync();
        }
    }
}
