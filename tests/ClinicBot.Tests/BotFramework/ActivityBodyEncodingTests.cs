using System.Text;
using ClinicBot.Bot.BotFramework;

namespace ClinicBot.Tests.BotFramework;

/// <summary>
/// The endpoint decodes the body itself (UTF-8, into a pooled buffer); every encoding a StreamReader accepted must still
/// read the same, and bytes that are not UTF-8 must not crash it.
/// </summary>
public sealed class ActivityBodyEncodingTests
{
    private const string Body = """{"type":"message","id":"a-1","channelId":"webchat","serviceUrl":"https://example.com/","conversation":{"id":"c-1"},"from":{"id":"u-1","name":"Zoë"},"text":"Mi rodilla — ¿es normal? 膝が痛い 🦵"}""";

    public static TheoryData<string, byte[]> Encodings() => new()
    {
        { "UTF-8", Encoding.UTF8.GetBytes(Body) },
        { "UTF-8 with a byte order mark", [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(Body)] },
        { "UTF-16 LE with a byte order mark", [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(Body)] },
        { "UTF-16 BE with a byte order mark", [.. Encoding.BigEndianUnicode.GetPreamble(), .. Encoding.BigEndianUnicode.GetBytes(Body)] },
    };

    [Theory]
    [MemberData(nameof(Encodings))]
    public void TheTextReadsTheSameInEveryEncodingAStreamReaderAccepted(string encoding, byte[] body)
    {
        var (activity, error) = BotMessagesEndpoint.Parse(body);

        Assert.True(error is null, $"{encoding}: {error}");
        Assert.Equal("Mi rodilla — ¿es normal? 膝が痛い 🦵", activity!.Text);
        Assert.Equal("Zoë", activity.From.Name);
    }

    [Fact]
    public void ABodyInsideALargerBufferIsReadToItsEndOnly()
    {
        // The endpoint rents its buffer from the pool: whatever lies after the body must not be read.
        var bytes = Encoding.UTF8.GetBytes(Body + "garbage that is not JSON {{{");

        var (activity, error) = BotMessagesEndpoint.Parse(new ArraySegment<byte>(bytes, 0, Encoding.UTF8.GetByteCount(Body)));

        Assert.Null(error);
        Assert.Equal("a-1", activity!.Id);
    }

    [Fact]
    public void BytesThatAreNotUtf8AreReplacedNotFatal()
    {
        var bytes = Encoding.UTF8.GetBytes(Body.Replace("Zoë", "Zo__", StringComparison.Ordinal));
        var at = Array.IndexOf(bytes, (byte)'_');
        bytes[at] = 0xC3; // a lead byte
        bytes[at + 1] = 0x28; // not a continuation byte

        var (activity, error) = BotMessagesEndpoint.Parse(bytes);

        Assert.Null(error);
        Assert.StartsWith("Zo\uFFFD", activity!.From.Name, StringComparison.Ordinal);
    }
}
