using System.Net;
using System.Text;
using ClinicBot.Bot.Messenger;
using ClinicBot.Bot.Proactive;
using ClinicBot.Bot.Storage.Sqlite;
using ClinicBot.Dialogs.Cases;
using ClinicBot.Dialogs.FollowUps;
using ClinicBot.Dialogs.Handoff;
using ClinicBot.Tests.Support;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Schema;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Newtonsoft.Json;

namespace ClinicBot.Tests.Messenger;

/// <summary>The direct Messenger webhook, through real HTTP, against a local fake Graph API.</summary>
public sealed class MessengerWebhookTests : IAsyncLifetime, IDisposable
{
    private readonly ScriptedRecognizer _recognizer = new();

    // Starts at the real current time (Messenger timestamps in events are real); tests move it.
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private FakeGraphApi _graph = null!;
    private ClinicBotFactory _host = null!;

    public async Task InitializeAsync()
    {
        _graph = await FakeGraphApi.StartAsync();
        _graph.Profiles["PSID-JORDAN"] = ("Jordan", "Rivera");
        _host = new ClinicBotFactory(clock: _clock, settings: MessengerPage.Settings(_graph), configureServices: ClinicBotFactory.WithRecognizer(_recognizer));
        _ = _host.Server; // start now
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _graph.DisposeAsync();
    }

    public void Dispose() => _host.Dispose();

    [Fact]
    public async Task HandshakeEchoesTheChallengeForTheRightVerifyToken()
    {
        var client = _host.CreateClient();
        var ok = await client.GetAsync($"/api/messenger?hub.mode=subscribe&hub.verify_token={MessengerPage.VerifyToken}&hub.challenge=1158201444");
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal("text/plain", ok.Content.Headers.ContentType?.MediaType);
        Assert.Equal("1158201444", await ok.Content.ReadAsStringAsync());

        var wrongToken = await client.GetAsync("/api/messenger?hub.mode=subscribe&hub.verify_token=guess&hub.challenge=1158201444");
        Assert.Equal(HttpStatusCode.Forbidden, wrongToken.StatusCode);
        Assert.DoesNotContain("1158201444", await wrongToken.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var wrongMode = await client.GetAsync($"/api/messenger?hub.mode=unsubscribe&hub.verify_token={MessengerPage.VerifyToken}&hub.challenge=1");
        Assert.Equal(HttpStatusCode.Forbidden, wrongMode.StatusCode);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("sha256=0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("sha1=abc")]
    [InlineData("signed-with-another-secret")]
    public async Task UnsignedOrWronglySignedPostsAreRejectedAndNothingIsProcessed(string? signature)
    {
        var body = Encoding.UTF8.GetBytes(JsonConvert.SerializeObject(MessengerPage.TextMessage("PSID-JORDAN", "mid.forged", "hello")));
        if (signature == "signed-with-another-secret")
        {
            signature = MessengerPage.Sign(body, "another-secret");
        }

        var response = await _host.PostWebhookAsync(body, signature);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        await Task.Delay(500);
        Assert.Equal((0, 0), await _host.Services.GetRequiredService<MessengerInbox>().CountAsync(default));
        Assert.Empty(_graph.Requests);
    }

    [Fact]
    public async Task TheSignatureCoversTheRawBytesNotAReserializedBody()
    {
        // Whitespace and key order are part of what Meta signs: a signature of the same JSON written differently fails.
        var compact = Encoding.UTF8.GetBytes("""{"object":"page","entry":[]}""");
        var spaced = Encoding.UTF8.GetBytes("""{ "object": "page", "entry": [] }""");
        Assert.Equal(HttpStatusCode.OK, (await _host.PostWebhookAsync(spaced, MessengerPage.Sign(spaced))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await _host.PostWebhookAsync(spaced, MessengerPage.Sign(compact))).StatusCode);
    }

    [Fact]
    public async Task MalformedJsonIs400AndAnOversizedBodyIs413()
    {
        var malformed = Encoding.UTF8.GetBytes("""{"object":"page","entry":[{"id":"PAGE1", """);
        Assert.Equal(HttpStatusCode.BadRequest, (await _host.PostWebhookAsync(malformed)).StatusCode);

        var huge = Encoding.UTF8.GetBytes("""{"object":"page","pad":" """ + new string('x', 1024 * 1024 + 10) + "\"}");
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await _host.PostWebhookAsync(huge)).StatusCode);
    }

    [Fact]
    public async Task Scenario06_AComplaintOnMessengerIsReflectedConfirmedAndOpensACaseWithAReference()
    {
        await _host.PostWebhookAsync(MessengerPage.TextMessage("PSID-JORDAN", "mid.c1", "Worst experience ever. My therapist was 25 min late and then rushed my session."));
        await _graph.WaitUntilAsync(g => g.SendApiMessages.Any(m => m.Text?.Contains("did I get that right?", StringComparison.Ordinal) == true), "the reflection");
        var reflection = _graph.SendApiMessages.Single(m => m.Text!.Contains("did I get that right?", StringComparison.Ordinal));
        Assert.Equal("I'm sorry, Jordan. You're telling me your therapist was 25 min late and then rushed your session — did I get that right?", reflection.Text);
        Assert.Contains(reflection.QuickReplies, q => q.Title == "Yes");
        Assert.Equal("RESPONSE", reflection.MessagingType);

        await _host.PostWebhookAsync(MessengerPage.TextMessage("PSID-JORDAN", "mid.c2", "yes"));
        await _graph.WaitUntilAsync(g => g.SendApiMessages.Any(m => m.Text == ClinicBot.Dialogs.Phrasing.ComplaintPhrases.AskDetails), "the request for details");
        await _host.PostWebhookAsync(MessengerPage.TextMessage("PSID-JORDAN", "mid.c3", "Nov 24 at Eastside, not sure of her name"));
        await _graph.WaitUntilAsync(g => g.SendApiMessages.Any(m => m.Text?.Contains("I've opened case C-", StringComparison.Ordinal) == true), "the case reference");

        var cases = await _host.Services.GetRequiredService<ClinicBot.Dialogs.Cases.ICaseStore>().ListAsync(null, default);
        var complaint = Assert.Single(cases);
        Assert.Equal(ClinicBot.Dialogs.Cases.CaseSource.Messenger, complaint.Source);
        Assert.Equal("Jordan", complaint.PatientName);
        Assert.Contains("Eastside", complaint.OriginalText, StringComparison.Ordinal);
        Assert.DoesNotContain(_graph.SendApiMessages, m => m.Text?.Contains("free", StringComparison.OrdinalIgnoreCase) == true || m.Text?.Contains("discount", StringComparison.OrdinalIgnoreCase) == true);
    }

    [Fact]
    public async Task AMessageIsAnsweredThroughTheSendApiGreetingByTheProfileFirstName()
    {
        var response = await _host.PostWebhookAsync(MessengerPage.TextMessage("PSID-JORDAN", "mid.1", "hi there"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        await _graph.WaitUntilAsync(g => g.SendApiMessages.Count() >= 2, "the greeting and the answer");
        var typing = _graph.Requests.First(r => r.IsSendApi);
        Assert.Equal("typing_on", typing.SenderAction);
        Assert.Equal("PSID-JORDAN", typing.RecipientId);

        var profileLookup = Assert.Single(_graph.Requests, r => r.Method == "GET");
        Assert.Equal("/v21.0/PSID-JORDAN", profileLookup.Path);
        Assert.Equal("first_name,last_name", profileLookup.Query["fields"].ToString());
        Assert.Equal(MessengerPage.PageAccessToken, profileLookup.Query["access_token"].ToString());

        var greeting = _graph.SendApiMessages.First();
        Assert.Equal("/v21.0/me/messages", greeting.Path);
        Assert.Equal(MessengerPage.PageAccessToken, greeting.Query["access_token"].ToString());
        Assert.Equal("PSID-JORDAN", greeting.RecipientId);
        Assert.Equal("RESPONSE", greeting.MessagingType);
        Assert.Null(greeting.Tag);
        Assert.StartsWith("Hi Jordan!", greeting.Text, StringComparison.Ordinal);
        Assert.Contains(greeting.QuickReplies, q => q.Title == "Opening hours");
        Assert.All(_graph.SendApiMessages, m => Assert.Equal("PSID-JORDAN", m.RecipientId));
    }

    [Fact]
    public async Task YesNoConfirmationsBecomeQuickRepliesAndATappedQuickReplyIsTheAnswer()
    {
        await _host.PostWebhookAsync(MessengerPage.TextMessage("PSID-JORDAN", "mid.q1", "do you have a pool for aquatic therapy"));
        await _graph.WaitUntilAsync(g => g.SendApiMessages.Any(m => m.QuickReplies.Any(q => q.Title == "Yes")), "the yes/no question");
        var question = _graph.SendApiMessages.Single(m => m.QuickReplies.Any(q => q.Title == "Yes"));
        Assert.Contains("Is that right?", question.Text, StringComparison.Ordinal);
        Assert.Equal([("Yes", "Yes"), ("No", "No")], question.QuickReplies);

        var before = _graph.SendApiMessages.Count();
        await _host.PostWebhookAsync(MessengerPage.TextMessage("PSID-JORDAN", "mid.q2", "No", quickReplyPayload: "No"));
        await _graph.WaitUntilAsync(g => g.SendApiMessages.Count() > before, "the reply to No");
        var reply = _graph.SendApiMessages.Skip(before).First();
        Assert.DoesNotContain("was that a yes or a no", reply.Text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task LongRepliesAreSplitAtTwoThousandCharactersOnParagraphs()
    {
        var paragraphs = Enumerable.Range(1, 3).Select(i => $"Paragraph {i}. " + string.Join(' ', Enumerable.Repeat("We treat sports injuries with care.", 25))).ToArray();
        var answer = string.Join("\n\n", paragraphs);
        Assert.True(answer.Length > 2000);
        _recognizer.Answers("sports injuries", answer);

        await _host.PostWebhookAsync(MessengerPage.TextMessage("PSID-JORDAN", "mid.long", "do you treat sports injuries"));
        await _graph.WaitUntilAsync(g => g.SendApiMessages.Any(m => m.Text?.StartsWith("Paragraph 3.", StringComparison.Ordinal) == true), "the last part");

        var parts = _graph.SendApiMessages.Where(m => m.Text?.StartsWith("Paragraph", StringComparison.Ordinal) == true).Select(m => m.Text!).ToList();
        Assert.True(parts.Count >= 2, $"expected the answer in several messages, got {parts.Count}");
        Assert.All(parts, p => Assert.True(p.Length <= 2000, $"a part has {p.Length} characters"));
        Assert.Equal(answer, string.Join("\n\n", parts));
    }

    [Fact]
    public async Task ARedeliveredMessageIsAnsweredOnce()
    {
        var body = MessengerPage.TextMessage("PSID-JORDAN", "mid.same", "hello");
        Assert.Equal(HttpStatusCode.OK, (await _host.PostWebhookAsync(body)).StatusCode);
        await _graph.WaitUntilAsync(g => g.SendApiMessages.Count() >= 2, "the first answer");
        Assert.Equal(HttpStatusCode.OK, (await _host.PostWebhookAsync(body)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _host.PostWebhookAsync(body)).StatusCode);
        await Task.Delay(1000);

        Assert.Equal((1, 0), await _host.Services.GetRequiredService<MessengerInbox>().CountAsync(default));
        Assert.Single(_graph.SendApiMessages, m => m.Text?.StartsWith("Hi Jordan!", StringComparison.Ordinal) == true);
        Assert.Equal(2, _graph.SendApiMessages.Count()); // greeting + one answer to "hello"
    }

    [Fact]
    public async Task BotMessagesUseResponseAndStaffMessagesFollowTheHumanAgentWindow()
    {
        await _host.PostWebhookAsync(MessengerPage.TextMessage("PSID-JORDAN", "mid.w1", "hello", sentAt: _clock.GetUtcNow()));
        await _graph.WaitUntilAsync(g => g.SendApiMessages.Count() >= 2, "the greeting");
        Assert.All(_graph.SendApiMessages, m => Assert.Equal(("RESPONSE", (string?)null), (m.MessagingType, m.Tag)));

        var reference = new ConversationReference
        {
            ChannelId = MessengerAdapter.ChannelId,
            ServiceUrl = MessengerAdapter.ServiceUrl,
            Conversation = new ConversationAccount(id: MessengerAdapter.ConversationIdFor(MessengerPage.PageId, "PSID-JORDAN")),
            User = new ChannelAccount("PSID-JORDAN"),
            Bot = new ChannelAccount(MessengerPage.PageId),
        };
        var channel = _host.Services.GetServices<IProactiveChannel>().Single(c => c.CanReach(reference));

        async Task<RecordedRequest?> SendAsync(string text, bool staff)
        {
            var before = _graph.SendApiMessages.Count();
            try
            {
                await channel.ContinueConversationAsync(reference, (turn, ct) =>
                {
                    var message = MessageFactory.Text(text);
                    return turn.SendActivityAsync(staff ? OutgoingSender.MarkAsStaff(message) : message, ct);
                }, default);
            }
            catch (MessengerNotDeliveredException)
            {
                return null;
            }

            return _graph.SendApiMessages.Skip(before).Single();
        }

        _clock.Advance(TimeSpan.FromHours(23));
        var staffWithin24h = await SendAsync("staff within a day", staff: true);
        Assert.Equal(("RESPONSE", (string?)null), (staffWithin24h!.MessagingType, staffWithin24h.Tag));

        _clock.Advance(TimeSpan.FromHours(2)); // 25 h after the patient's message
        var staffAfter24h = await SendAsync("staff after a day", staff: true);
        Assert.Equal(("MESSAGE_TAG", "HUMAN_AGENT"), (staffAfter24h!.MessagingType, staffAfter24h.Tag));
        Assert.Null(await SendAsync("bot after a day", staff: false));

        _clock.Advance(TimeSpan.FromDays(6)); // over 7 days
        Assert.Null(await SendAsync("staff after a week", staff: true));
        Assert.DoesNotContain(_graph.SendApiMessages, m => m.Text is "bot after a day" or "staff after a week");
        Assert.Contains(_host.Logs.Lines, l => l.Contains("more than 7 days", StringComparison.Ordinal) && l.Contains("PSID-JORDAN", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheNotifierReportsAFollowUpAnswerOutsideTheWindowAsNotDelivered()
    {
        await _host.PostWebhookAsync(MessengerPage.TextMessage("PSID-JORDAN", "mid.n1", "hello", sentAt: _clock.GetUtcNow()));
        await _graph.WaitUntilAsync(g => g.SendApiMessages.Count() >= 2, "the greeting");
        var replyAddress = JsonConvert.SerializeObject(new ConversationReference
        {
            ChannelId = MessengerAdapter.ChannelId,
            ServiceUrl = MessengerAdapter.ServiceUrl,
            Conversation = new ConversationAccount(id: MessengerAdapter.ConversationIdFor(MessengerPage.PageId, "PSID-JORDAN")),
            User = new ChannelAccount("PSID-JORDAN"),
            Bot = new ChannelAccount(MessengerPage.PageId),
        });
        var notifier = _host.Services.GetRequiredService<ConversationNotifier>();
        var answer = new FollowUpAnsweredValue("f1", "Do you have a pool?", "Yes, at Riverside.");

        Assert.True(await notifier.NotifyAsync(replyAddress, FollowUpEvents.Answered, answer, default));
        Assert.Contains(_graph.SendApiMessages, m => m.Text?.Contains("Yes, at Riverside.", StringComparison.Ordinal) == true);

        _clock.Advance(TimeSpan.FromHours(30));
        var sent = _graph.SendApiMessages.Count();
        Assert.False(await notifier.NotifyAsync(replyAddress, FollowUpEvents.Answered, answer, default));
        Assert.Equal(sent, _graph.SendApiMessages.Count());
    }

    [Fact]
    public async Task ANegativePageCommentCreatesOneCaseAndOnePrivateReply()
    {
        var comment = MessengerPage.Comment("777_9001", "USER-55", "Sam Carter", "Never going back. Billing charged me twice and nobody calls back.");
        Assert.Equal(HttpStatusCode.OK, (await _host.PostWebhookAsync(comment)).StatusCode);
        await _graph.WaitUntilAsync(g => g.Requests.Any(r => r.IsSendApi), "the private reply");
        Assert.Equal(HttpStatusCode.OK, (await _host.PostWebhookAsync(comment)).StatusCode); // redelivery
        await Task.Delay(800);

        var complaint = Assert.Single(await _host.Services.GetRequiredService<ICaseStore>().ListAsync(null, default));
        Assert.Equal(CaseSource.FacebookComment, complaint.Source);
        Assert.Equal("Sam Carter", complaint.PatientName);
        Assert.Equal("USER-55", complaint.PatientUserId);
        Assert.Equal("Never going back. Billing charged me twice and nobody calls back.", complaint.OriginalText);
        Assert.Equal("https://www.facebook.com/riverside/posts/777", complaint.Link);
        Assert.Contains("billing", complaint.Summary, StringComparison.Ordinal);
        Assert.Matches("^C-[0-9]{5}$", complaint.Reference);

        var reply = Assert.Single(_graph.Requests, r => r.IsSendApi);
        Assert.Equal("777_9001", reply.Json!["recipient"]!["comment_id"]!.GetValue<string>());
        Assert.Null(reply.RecipientId);
        Assert.Contains("Hi Sam", reply.Text, StringComparison.Ordinal);
        Assert.Contains("sorry", reply.Text, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Messenger", reply.Text, StringComparison.Ordinal);
        Assert.Contains(complaint.Reference, reply.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("billing", reply.Text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(_host.Logs.Lines, l => l.Contains("Sam Carter", StringComparison.Ordinal) || l.Contains("charged me twice", StringComparison.Ordinal));
    }

    [Fact]
    public async Task APositivePageCommentIsLeftAlone()
    {
        Assert.Equal(HttpStatusCode.OK, (await _host.PostWebhookAsync(MessengerPage.Comment("777_9002", "USER-56", "Alex Kim", "Thank you all, the team was amazing with my knee rehab!"))).StatusCode);
        var inbox = _host.Services.GetRequiredService<MessengerInbox>();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while ((await inbox.CountAsync(default)).Pending > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.Equal((1, 0), await inbox.CountAsync(default));
        Assert.Empty(await _host.Services.GetRequiredService<ICaseStore>().ListAsync(null, default));
        Assert.Empty(_graph.Requests);
    }

    [Fact]
    public async Task PatientTextAndNamesStayOutOfTheLogs()
    {
        await _host.PostWebhookAsync(MessengerPage.TextMessage("PSID-JORDAN", "mid.private", "my knee hurts after the session"));
        await _graph.WaitUntilAsync(g => g.SendApiMessages.Count() >= 2, "the replies");
        Assert.DoesNotContain(_host.Logs.Lines, l => l.Contains("knee hurts", StringComparison.Ordinal) || l.Contains("Rivera", StringComparison.Ordinal) || l.Contains(MessengerPage.PageAccessToken, StringComparison.Ordinal));
    }
}
