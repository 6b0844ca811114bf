using System.Net.WebSockets;
using System.Text;
using ClinicBot.Tests.Support;
using Newtonsoft.Json.Linq;

namespace ClinicBot.Tests.DirectLine;

/// <summary>The stream URL: a WebSocket that replays the log and then pushes each new activity as an ActivitySet.</summary>
public sealed class DirectLineWebSocketTests : IDisposable
{
    private readonly ClinicBotFactory _factory = new();

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task TheStreamDeliversTheEchoAndTheBotsRepliesInWatermarkOrder()
    {
        using var client = _factory.DirectLine();
        var conversation = await client.StartConversationAsync();
        var (id, token) = ((string)conversation["conversationId"]!, (string)conversation["token"]!);
        using var socket = await ConnectAsync((string)conversation["streamUrl"]!);

        using (await client.PostActivityAsync(id, token, DirectLineTestClient.JoinEvent("Maria Lopez")))
        {
        }

        var sentId = await client.SayAsync(id, token, "what are your saturday hours", clientActivityId: "client-7");

        var received = new List<JObject>();
        var watermarks = new List<long>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            while (!received.Any(a => ((string?)a["text"])?.Contains("Saturdays 8:00", StringComparison.Ordinal) == true))
            {
                var set = await ReceiveSetAsync(socket, timeout.Token);
                watermarks.Add(long.Parse((string)set["watermark"]!));
                received.AddRange(set["activities"]!.Cast<JObject>());
            }
        }
        catch (OperationCanceledException)
        {
            var (logged, _) = await client.GetActivitiesAsync(id, token);
            Assert.Fail($"The stream did not deliver the answer. Streamed: [{string.Join(" | ", received.Select(Describe))}]; logged: [{string.Join(" | ", logged.Select(Describe))}]");
        }

        Assert.Contains(received, a => ((string?)a["text"])?.StartsWith("Hi Maria", StringComparison.Ordinal) == true);
        var echo = Assert.Single(received, a => (string?)a["id"] == sentId);
        Assert.Equal("client-7", (string?)echo["channelData"]?["clientActivityID"]);
        Assert.Equal(watermarks.OrderBy(w => w), watermarks);
        var timestamps = received.Select(a => (DateTimeOffset)a["timestamp"]!).ToList();
        Assert.True(timestamps.Zip(timestamps.Skip(1)).All(p => p.Second > p.First));
    }

    [Fact]
    public async Task AReconnectedStreamReplaysOnlyWhatCameAfterTheWatermark()
    {
        using var client = _factory.DirectLine();
        var conversation = await client.StartConversationAsync();
        var (id, token) = ((string)conversation["conversationId"]!, (string)conversation["token"]!);
        await client.SayAsync(id, token, "hello");
        var (_, watermark) = await client.GetActivitiesAsync(id, token);
        var laterId = await client.SayAsync(id, token, "what are your saturday hours");

        using var reconnect = await client.SendAsync(HttpMethod.Get, $"{DirectLineTestClient.Base}/conversations/{id}?watermark={watermark}", token);
        var streamUrl = (string)JObject.Parse(await reconnect.Content.ReadAsStringAsync())["streamUrl"]!;
        using var socket = await ConnectAsync(streamUrl);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var set = await ReceiveSetAsync(socket, timeout.Token);

        Assert.Equal(laterId, (string)set["activities"]![0]!["id"]!);
        Assert.True(long.Parse((string)set["watermark"]!) > long.Parse(watermark));
    }

    [Fact]
    public async Task AStreamWithAnotherConversationsTokenIsRefused()
    {
        using var client = _factory.DirectLine();
        var a = await client.StartConversationAsync();
        var b = await client.StartConversationAsync();
        var url = ((string)a["streamUrl"]!).Replace((string)a["conversationId"]!, (string)b["conversationId"]!, StringComparison.Ordinal);

        var error = await Assert.ThrowsAnyAsync<Exception>(() => ConnectAsync(url));
        Assert.Contains("403", error.Message, StringComparison.Ordinal);
    }

    private static string Describe(JToken activity) =>
        $"{activity["id"]} {activity["type"]} {activity["from"]?["role"]}: {((string?)activity["text"])?[..Math.Min(40, ((string?)activity["text"])!.Length)]}";

    private async Task<WebSocket> ConnectAsync(string streamUrl)
    {
        var ws = _factory.Server.CreateWebSocketClient();
        var uri = new Uri(streamUrl);
        return await ws.ConnectAsync(new Uri(_factory.Server.BaseAddress, uri.PathAndQuery), CancellationToken.None);
    }

    private static async Task<JObject> ReceiveSetAsync(WebSocket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, cancellationToken);
            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                var text = Encoding.UTF8.GetString(message.ToArray());
                if (text.Length > 0)
                {
                    return JObject.Parse(text);
                }

                message.SetLength(0);
            }
        }
    }
}
