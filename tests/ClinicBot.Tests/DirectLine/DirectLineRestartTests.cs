using ClinicBot.Tests.Support;

namespace ClinicBot.Tests.DirectLine;

/// <summary>A restart loses nothing: the activity log, watermarks and tokens survive (same data folder).</summary>
public sealed class DirectLineRestartTests : IDisposable
{
    private readonly string _dataFolder = ClinicBotFactory.NewDataFolder();

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dataFolder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public async Task HistoryTokensAndWatermarksSurviveARestart()
    {
        string id, token, watermark;
        List<string> before;
        using (var first = new ClinicBotFactory(_dataFolder))
        {
            using var client = first.DirectLine();
            var conversation = await client.StartConversationAsync();
            (id, token) = ((string)conversation["conversationId"]!, (string)conversation["token"]!);
            using (await client.PostActivityAsync(id, token, DirectLineTestClient.JoinEvent("Maria Lopez")))
            {
            }

            await client.SayAsync(id, token, "what are your saturday hours");
            var (activities, mark) = await client.GetActivitiesAsync(id, token);
            before = activities.Select(a => (string)a["id"]!).ToList();
            watermark = mark;
        }

        Assert.True(File.Exists(Path.Combine(_dataFolder, "directline-signing.key")));

        using var second = new ClinicBotFactory(_dataFolder);
        using var again = second.DirectLine();
        var (history, sameWatermark) = await again.GetActivitiesAsync(id, token);
        Assert.Equal(before, history.Select(a => (string)a["id"]!).ToList());
        Assert.Equal(watermark, sameWatermark);

        var nextId = await again.SayAsync(id, token, "thanks");
        var (newer, _) = await again.GetActivitiesAsync(id, token, watermark);
        Assert.Equal(nextId, (string)newer[0]["id"]!);
        Assert.True((DateTimeOffset)newer[0]["timestamp"]! > (DateTimeOffset)history[^1]!["timestamp"]!);
    }
}
