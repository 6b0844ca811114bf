using System.Net;
using ClinicBot.Dialogs.Middleware;
using ClinicBot.Dialogs.Phrasing;
using ClinicBot.Tests.Support;
using Microsoft.Bot.Schema;
using Newtonsoft.Json.Linq;

namespace ClinicBot.Tests.Reliability;

/// <summary>
/// Photos and PDFs only, at most five, https URLs only. /api/messages and Messenger: the bot answers politely
/// (the channel cannot show a status code to the patient); a non-https URL is refused at the edge with 400.
/// Built-in Direct Line (no upload endpoint, so only custom clients send attachments): 400 with the reason.
/// </summary>
public sealed class AttachmentLimitTests
{
    private static readonly string Refusal = SystemPhrases.AttachmentsNotAccepted(AttachmentPolicy.MaxAttachments);

    [Theory]
    [InlineData("image/jpeg", "https://cdn.example.com/knee.jpg", true)]
    [InlineData("image/png", "https://cdn.example.com/knee.png", true)]
    [InlineData("image/heic", "https://cdn.example.com/knee.heic", true)]
    [InlineData("application/pdf", "https://cdn.example.com/referral.pdf", true)]
    [InlineData("image", "https://scontent.xx.fbcdn.net/v/photo", true)]
    [InlineData("file", "https://cdn.fbsbx.com/v/referral.pdf?x=1", true)]
    [InlineData("file", "https://cdn.fbsbx.com/v/notes.docx", false)]
    [InlineData("video", "https://video.xx.fbcdn.net/v/clip.mp4", false)]
    [InlineData("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "https://cdn.example.com/a.docx", false)]
    [InlineData("text/html", null, false)]
    public void ThePolicyAcceptsPhotosAndPdfsOnly(string contentType, string? url, bool accepted)
    {
        var problem = AttachmentPolicy.Problem([new Attachment { ContentType = contentType, ContentUrl = url }]);
        Assert.Equal(accepted, problem is null);
    }

    [Fact]
    public void MoreThanFiveOrNonHttpsUrlsAreRefused()
    {
        var six = Enumerable.Range(0, 6).Select(i => new Attachment("image/png", $"https://cdn.example.com/{i}.png")).ToList();
        Assert.Contains("At most 5", AttachmentPolicy.Problem(six), StringComparison.Ordinal);
        Assert.Null(AttachmentPolicy.Problem(six.Take(5).ToList()));
        foreach (var url in new[] { "http://cdn.example.com/a.png", "file:///etc/passwd", "data:image/png;base64,AAAA", "javascript:alert(1)", "/relative.png" })
        {
            Assert.NotNull(AttachmentPolicy.UrlProblem([new Attachment("image/png", url)]));
        }
    }

    [Fact]
    public async Task ApiMessagesAnswersAWrongTypeOrTooManyPolitelyAndRefusesNonHttpsWith400()
    {
        await using var sink = await ReplySink.StartAsync();
        using var factory = new ClinicBotFactory();
        using var client = factory.CreateClient();

        var word = ExactlyOnceTests.Activity(sink, "conv-word", "a1", "here is my note");
        word.Attachments = [new Attachment("application/msword", "https://cdn.example.com/note.doc")];
        Assert.Equal(HttpStatusCode.OK, (await ExactlyOnceTests.PostAsync(client, word)).StatusCode);
        Assert.Equal([Refusal], sink.Texts("conv-word"));

        var many = ExactlyOnceTests.Activity(sink, "conv-many", "a2", "photos");
        many.Attachments = Enumerable.Range(0, 6).Select(i => new Attachment("image/jpeg", $"https://cdn.example.com/{i}.jpg")).ToList();
        Assert.Equal(HttpStatusCode.OK, (await ExactlyOnceTests.PostAsync(client, many)).StatusCode);
        Assert.Equal([Refusal], sink.Texts("conv-many"));

        var photo = ExactlyOnceTests.Activity(sink, "conv-photo", "a3", "what are your hours?");
        photo.Attachments = [new Attachment("image/jpeg", "https://cdn.example.com/knee.jpg")];
        Assert.Equal(HttpStatusCode.OK, (await ExactlyOnceTests.PostAsync(client, photo)).StatusCode);
        Assert.NotEmpty(sink.Texts("conv-photo"));
        Assert.DoesNotContain(Refusal, sink.Texts("conv-photo"));

        var plain = ExactlyOnceTests.Activity(sink, "conv-http", "a4", "photo");
        plain.Attachments = [new Attachment("image/jpeg", "http://cdn.example.com/knee.jpg")];
        using var refused = await ExactlyOnceTests.PostAsync(client, plain);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("https", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(sink.Texts("conv-http"));
    }

    [Fact]
    public async Task DirectLineRefusesAttachmentsOutsideThePolicyWith400AndAcceptsAPhoto()
    {
        using var factory = new ClinicBotFactory();
        using var client = factory.DirectLine();
        var conversation = await client.StartConversationAsync();
        var (id, token) = ((string)conversation["conversationId"]!, (string)conversation["token"]!);
        var (before, _) = await client.GetActivitiesAsync(id, token);

        foreach (var (type, url) in new[] { ("application/zip", "https://x.example.com/a.zip"), ("image/png", "http://x.example.com/a.png") })
        {
            var message = DirectLineTestClient.Message("see attached");
            message["attachments"] = new JArray(new JObject { ["contentType"] = type, ["contentUrl"] = url });
            using var response = await client.PostActivityAsync(id, token, message);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        }

        var (afterRefused, _) = await client.GetActivitiesAsync(id, token);
        Assert.Equal(before.Count, afterRefused.Count);

        var photo = DirectLineTestClient.Message("my knee");
        photo["attachments"] = new JArray(new JObject { ["contentType"] = "image/jpeg", ["contentUrl"] = "https://x.example.com/knee.jpg" });
        using var accepted = await client.PostActivityAsync(id, token, photo);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
    }

    [Fact]
    public async Task AMessengerVideoGetsThePoliteReplyFromTheBot()
    {
        await using var bot = new BotHarness(channelId: "facebook");
        await bot.Flow()
            .Send(new Activity
            {
                Type = ActivityTypes.Message,
                Text = string.Empty,
                Attachments = [new Attachment("video", "https://video.xx.fbcdn.net/v/clip.mp4")],
            })
            .AssertReply(Refusal)
            .StartTestAsync();
    }
}
