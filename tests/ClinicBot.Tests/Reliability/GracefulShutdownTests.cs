using System.Net;
using ClinicBot.Tests.Support;
using Microsoft.Data.Sqlite;

namespace ClinicBot.Tests.Reliability;

/// <summary>SIGTERM drains: a turn in flight when the host is told to stop still completes, is delivered and is acknowledged.</summary>
public sealed class GracefulShutdownTests
{
    [Fact]
    public async Task ATurnInFlightWhenSigtermArrivesCompletesAndIsAcknowledged()
    {
        var folder = ClinicBotFactory.NewDataFolder();
        await using var sink = await ReplySink.StartAsync();
        await using (var bot = await TestBotProcess.StartAsync(folder))
        {
            // Warm up (first turn loads what it needs), then slow the channel down so the next turn is in flight.
            Assert.Equal(HttpStatusCode.OK, (await bot.PostMessageAsync(sink, "conv-drain", "hi", "warm-1")).StatusCode);
            sink.Delay = TimeSpan.FromSeconds(3);
            var arrivedBefore = sink.Arriving;

            var inFlight = bot.PostMessageAsync(sink, "conv-drain", "what are your hours on saturday?", "drain-1");
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
            while (sink.Arriving == arrivedBefore)
            {
                Assert.True(DateTime.UtcNow < deadline, "the turn started sending its reply");
                await Task.Delay(20);
            }

            var terminated = bot.TerminateAsync(TimeSpan.FromSeconds(30));
            using var response = await inFlight;

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            await terminated;
            Assert.True(bot.HasExited);
            Assert.Equal(0, bot.ExitCode);
            Assert.Contains(sink.Texts("conv-drain"), t => t.Contains("Saturday", StringComparison.OrdinalIgnoreCase));
        }

        SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
    }
}
