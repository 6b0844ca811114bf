using System.Net;
using System.Text;
using ClinicBot.Tests.Support;
using Microsoft.Bot.Schema;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace ClinicBot.Tests.Reliability;

/// <summary>Channels retry: an activity delivered twice runs its turn once, on every surface, across restarts too.</summary>
public sealed class ExactlyOnceTests
{
    [Fact]
    public async Task AnActivityPostedTwiceToApiMessagesIsAnsweredOnceEvenAfterARestart()
    {
        await using var sink = await ReplySink.StartAsync();
        var folder = ClinicBotFactory.NewDataFolder();
        var activity = Activity(sink, "conv-dup", "activity-1", "what are your hours?");

        int afterFirst;
        using (var factory = new ClinicBotFactory(folder))
        {
            using var client = factory.CreateClient();
            Assert.Equal(HttpStatusCode.OK, (await PostAsync(client, activity)).StatusCode);
            afterFirst = sink.Texts("conv-dup").Count;
            Assert.True(afterFirst > 0);

            Assert.Equal(HttpStatusCode.OK, (await PostAsync(client, activity)).StatusCode);
            Assert.Equal(afterFirst, sink.Texts("conv-dup").Count);

            // The same id in another conversation is another activity.
            Assert.Equal(HttpStatusCode.OK, (await PostAsync(client, Activity(sink, "conv-other", "activity-1", "what are your hours?"))).StatusCode);
            Assert.NotEmpty(sink.Texts("conv-other"));
        }

        using (var restarted = new ClinicBotFactory(folder))
        {
            using var client = restarted.CreateClient();
            Assert.Equal(HttpStatusCode.OK, (await PostAsync(client, activity)).StatusCode);
            Assert.Equal(afterFirst, sink.Texts("conv-dup").Count);

            Assert.Equal(HttpStatusCode.OK, (await PostAsync(client, Activity(sink, "conv-dup", "activity-2", "where do I park?"))).StatusCode);
            Assert.True(sink.Texts("conv-dup").Count > afterFirst);
        }

        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task TwoDeliveriesOfOneActivityAtTheSameTimeRunOneTurn()
    {
        await using var sink = await ReplySink.StartAsync();
        using var factory = new ClinicBotFactory();
        using var client = factory.CreateClient();
        var activity = Activity(sink, "conv-race", "activity-race", "do you take medicare?");

        var responses = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => PostAsync(client, activity)));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        using var single = new ClinicBotFactory();
        await using var singleSink = await ReplySink.StartAsync();
        using var singleClient = single.CreateClient();
        await PostAsync(singleClient, Activity(singleSink, "conv-race", "activity-race", "do you take medicare?"));
        Assert.Equal(singleSink.Texts("conv-race").Count, sink.Texts("conv-race").Count);
    }

    [Fact]
    public async Task DirectLinePostingTheSameClientActivityTwiceRunsItOnceAndReturnsTheSameId()
    {
        using var factory = new ClinicBotFactory();
        using var client = factory.DirectLine();
        var conversation = await client.StartConversationAsync();
        var (id, token) = ((string)conversation["conversationId"]!, (string)conversation["token"]!);
        var (before, _) = await client.GetActivitiesAsync(id, token);

        var first = await client.SayAsync(id, token, "what are your hours?", clientActivityId: "retry-me");
        var (afterFirst, _) = await client.GetActivitiesAsync(id, token);
        var second = await client.SayAsync(id, token, "what are your hours?", clientActivityId: "retry-me");
        var (afterSecond, _) = await client.GetActivitiesAsync(id, token);

        Assert.Equal(first, second);
        Assert.True(afterFirst.Count > before.Count + 1, "the first delivery is echoed and answered");
        Assert.Equal(afterFirst.Count, afterSecond.Count);
        Assert.Single(afterSecond, a => (string?)a["channelData"]?["clientActivityID"] == "retry-me");
    }

    internal static Activity Activity(ReplySink sink, string conversationId, string activityId, string text) => new()
    {
        Type = ActivityTypes.Message,
        Id = activityId,
        ChannelId = "emulator",
        ServiceUrl = sink.ServiceUrl,
        Conversation = new ConversationAccount(id: conversationId),
        From = new ChannelAccount("patient-1", "Dana Smith", RoleTypes.User),
        Recipient = new ChannelAccount("clinicbot", "ClinicBot", RoleTypes.Bot),
        Text = text,
        Timestamp = DateTimeOffset.UtcNow,
    };

    internal static async Task<HttpResponseMessage> PostAsync(HttpClient client, Activity activity)
    {
        using var content = new StringContent(JsonConvert.SerializeObject(activity), Encoding.UTF8, "application/json");
        return await client.PostAsync("/api/messages", content);
    }
}
