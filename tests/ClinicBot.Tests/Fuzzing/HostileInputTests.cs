using System.Net;
using System.Text;
using ClinicBot.Bot.BotFramework;
using ClinicBot.Dialogs.Knowledge;
using ClinicBot.Tests.Messenger;
using ClinicBot.Tests.Support;
using CsCheck;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using Newtonsoft.Json.Linq;
using Xunit.Abstractions;

namespace ClinicBot.Tests.Fuzzing;

/// <summary>
/// Property-based fuzzing (CsCheck) of every input parser: no crash, never a 500, and a rejected body changes no
/// stored state. Counts of inputs tried are printed (docs/security.md quotes them).
/// </summary>
public sealed class HostileInputTests(ITestOutputHelper output)
{
    private static readonly HashSet<HttpStatusCode> Rejections = [HttpStatusCode.BadRequest, HttpStatusCode.RequestEntityTooLarge, HttpStatusCode.UnsupportedMediaType];

    [Fact]
    public void ParsingAnActivityNeverThrows()
    {
        var tried = 0;
        FuzzInputs.Body(() => ValidActivity("https://example.com/")).Sample(body =>
        {
            Interlocked.Increment(ref tried);
            var (activity, error) = BotMessagesEndpoint.Parse(Encoding.UTF8.GetBytes(body));
            Assert.True(activity is null != (error is null));
            if (error is not null)
            {
                Assert.True(error.Length < 300, "reasons are short and never echo the body");
            }
        }, iter: 3000);
        output.WriteLine($"BotMessagesEndpoint.Parse: {tried} bodies");
    }

    [Fact]
    public async Task ApiMessagesNeverAnswers500AndRejectedBodiesChangeNothing()
    {
        await using var sink = await ReplySink.StartAsync();
        using var factory = new ClinicBotFactory();
        using var client = factory.CreateClient();
        var database = Path.Combine(factory.DataFolder, "clinicbot.db");
        var counts = new Dictionary<HttpStatusCode, int>();
        await FuzzInputs.Body(() => ValidActivity(sink.ServiceUrl)).SampleAsync(async body =>
        {
            var before = await RowCountAsync(database);
            using var content = new StringContent(body, Encoding.UTF8, "application/json");
            using var response = await client.PostAsync("/api/messages", content);
            lock (counts)
            {
                counts[response.StatusCode] = counts.GetValueOrDefault(response.StatusCode) + 1;
            }

            Assert.NotEqual(HttpStatusCode.InternalServerError, response.StatusCode);
            Assert.True(response.StatusCode == HttpStatusCode.OK || Rejections.Contains(response.StatusCode), $"unexpected {response.StatusCode}");
            if (response.StatusCode != HttpStatusCode.OK)
            {
                Assert.Equal(before, await RowCountAsync(database));
            }
        }, iter: 300, threads: 1);
        output.WriteLine("/api/messages: " + string.Join(", ", counts.Select(c => $"{(int)c.Key}: {c.Value}")));
        foreach (var line in factory.Logs.Lines.Where(l => l.StartsWith("Error", StringComparison.Ordinal)))
        {
            output.WriteLine(line);
        }

        Assert.DoesNotContain(factory.Logs.Lines, l => l.StartsWith("Error", StringComparison.Ordinal) || l.StartsWith("Critical", StringComparison.Ordinal));
    }

    [Fact]
    public async Task DirectLineNeverAnswers500AndRejectedActivitiesAreNotLogged()
    {
        using var factory = new ClinicBotFactory(settings: new Dictionary<string, string?> { ["DirectLine:MaxActivitiesPerWindow"] = "10000" });
        using var client = factory.DirectLine();
        var conversation = await client.StartConversationAsync();
        var (id, token) = ((string)conversation["conversationId"]!, (string)conversation["token"]!);
        var counts = new Dictionary<HttpStatusCode, int>();
        await FuzzInputs.Body(() => DirectLineTestClient.Message("hello")).SampleAsync(async body =>
        {
            var (before, _) = await client.GetActivitiesAsync(id, token);
            using var response = await client.SendAsync(HttpMethod.Post, $"{DirectLineTestClient.Base}/conversations/{id}/activities", token, new StringContent(body, Encoding.UTF8, "application/json"));
            counts[response.StatusCode] = counts.GetValueOrDefault(response.StatusCode) + 1;
            Assert.True(response.StatusCode == HttpStatusCode.OK || Rejections.Contains(response.StatusCode), $"unexpected {response.StatusCode}");
            if (response.StatusCode != HttpStatusCode.OK)
            {
                var (after, _) = await client.GetActivitiesAsync(id, token);
                Assert.Equal(before.Count, after.Count);
            }
        }, iter: 250, threads: 1);
        output.WriteLine("Direct Line activities: " + string.Join(", ", counts.Select(c => $"{(int)c.Key}: {c.Value}")));

        // Token bodies too.
        await FuzzInputs.Body(() => new JObject { ["user"] = new JObject { ["id"] = "dl_x" } }).SampleAsync(async body =>
        {
            using var response = await client.Http.PostAsync($"{DirectLineTestClient.Base}/tokens/generate", new StringContent(body, Encoding.UTF8, "application/json"));
            Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.BadRequest or HttpStatusCode.RequestEntityTooLarge, $"unexpected {response.StatusCode}");
        }, iter: 100, threads: 1);
    }

    [Fact]
    public async Task SignedMessengerWebhookBodiesNeverAnswer500()
    {
        await using var graph = await FakeGraphApi.StartAsync();
        using var host = new ClinicBotFactory(clock: new FakeTimeProvider(DateTimeOffset.UtcNow), settings: MessengerPage.Settings(graph), configureServices: ClinicBotFactory.WithRecognizer(new ScriptedRecognizer()));
        var counts = new Dictionary<HttpStatusCode, int>();
        JObject Valid() => JObject.FromObject(MessengerPage.TextMessage("PSID-FUZZ", "mid." + Guid.NewGuid().ToString("N"), "hello"));
        var gen = Gen.Frequency(
            (2, FuzzInputs.Body(Valid)),
            (2, Gen.Select(FuzzInputs.Json, Gen.OneOf(new[] { "entry", "object", "messaging", "message", "sender", "timestamp", "text", "mid", "attachments", "postback", "quick_reply", "changes" })).Select((value, field) =>
            {
                var body = Valid();
                foreach (var token in body.SelectTokens("$.." + field).ToList())
                {
                    token.Replace(value.DeepClone());
                }

                if (field is "entry" or "object")
                {
                    body[field] = value;
                }

                return body.ToString(Newtonsoft.Json.Formatting.None);
            })));
        await gen.SampleAsync(async body =>
        {
            using var response = await host.PostWebhookAsync(Encoding.UTF8.GetBytes(body));
            counts[response.StatusCode] = counts.GetValueOrDefault(response.StatusCode) + 1;
            Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.BadRequest or HttpStatusCode.RequestEntityTooLarge, $"unexpected {response.StatusCode}");
        }, iter: 250, threads: 1);
        output.WriteLine("Messenger webhook (signed): " + string.Join(", ", counts.Select(c => $"{(int)c.Key}: {c.Value}")));
    }

    [Fact]
    public void TheKnowledgeBaseLoaderFailsOnlyWithAKnowledgeBaseException()
    {
        var real = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "knowledge", "clinic-faq.yaml"));
        var lines = real.Split('\n');
        var outcomes = new int[2];
        var mutated = Gen.Select(Gen.Int[0, lines.Length - 1].Array[1, 6], FuzzInputs.Text.Array[6], Gen.Int[0, 3]).Select((positions, texts, kind) =>
        {
            var copy = lines.ToList();
            for (var i = 0; i < positions.Length; i++)
            {
                var at = Math.Min(positions[i], copy.Count - 1);
                switch (kind)
                {
                    case 0: copy[at] = texts[i]; break;
                    case 1: copy.Insert(at, texts[i]); break;
                    case 2: copy.RemoveAt(at); break;
                    default: copy[at] = copy[at][..(copy[at].Length / 2)]; break;
                }
            }

            return string.Join('\n', copy);
        });
        Gen.Frequency((4, mutated), (1, FuzzInputs.Text), (1, FuzzInputs.DeepNesting)).Sample(yaml =>
        {
            try
            {
                KnowledgeBaseYaml.Parse(yaml, "fuzz.yaml");
                Interlocked.Increment(ref outcomes[0]);
            }
            catch (KnowledgeBaseException ex)
            {
                Assert.Contains("fuzz.yaml", ex.Message, StringComparison.Ordinal);
                Interlocked.Increment(ref outcomes[1]);
            }
        }, iter: 500);
        output.WriteLine($"KnowledgeBaseYaml.Parse: {outcomes[0]} loaded, {outcomes[1]} refused with a reason");
    }

    internal static JObject ValidActivity(string serviceUrl) => new()
    {
        ["type"] = "message",
        ["id"] = Guid.NewGuid().ToString("N"),
        ["channelId"] = "emulator",
        ["serviceUrl"] = serviceUrl,
        ["conversation"] = new JObject { ["id"] = "conv-fuzz-" + Guid.NewGuid().ToString("N")[..6] },
        ["from"] = new JObject { ["id"] = "patient-fuzz", ["name"] = "Fuzz", ["role"] = "user" },
        ["recipient"] = new JObject { ["id"] = "clinicbot", ["role"] = "bot" },
        ["text"] = "what are your hours?",
    };

    private static async Task<long> RowCountAsync(string database)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = database, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = connection.CreateCommand())
        {
            list.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'";
            await using var reader = await list.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0));
            }
        }

        long total = 0;
        foreach (var table in tables)
        {
            await using var count = connection.CreateCommand();
            count.CommandText = $"SELECT count(*) FROM \"{table}\"";
            total += (long)(await count.ExecuteScalarAsync())!;
        }

        return total;
    }
}
