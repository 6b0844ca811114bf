using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ClinicBot.Bot.Messenger;
using ClinicBot.Tests.Support;

namespace ClinicBot.Tests.Messenger;

/// <summary>
/// The test Facebook page the direct Messenger channel serves: its id and secrets, the bot settings that point the
/// channel at a <see cref="FakeGraphApi"/>, and the webhook events Meta sends for it.
/// </summary>
public static class MessengerPage
{
    public const string VerifyToken = "verify-me-123";
    public const string AppSecret = "test-app-secret";
    public const string PageAccessToken = "page-token-abc";
    public const string PageId = "PAGE1";

    /// <summary>Settings for a <see cref="ClinicBotFactory"/>: Messenger on, talking to <paramref name="graph"/>; <paramref name="overrides"/> win.</summary>
    public static Dictionary<string, string?> Settings(FakeGraphApi graph, IDictionary<string, string?>? overrides = null)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var settings = new Dictionary<string, string?>
        {
            ["Messenger:Enabled"] = "true",
            ["Messenger:VerifyToken"] = VerifyToken,
            ["Messenger:AppSecret"] = AppSecret,
            ["Messenger:PageAccessToken"] = PageAccessToken,
            ["Messenger:GraphApiBaseUrl"] = graph.BaseUrl,
            ["Messenger:GraphApiVersion"] = "v21.0",
        };
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        return settings;
    }

    /// <summary>Posts a webhook body signed as Meta signs it (or with the given signature header).</summary>
    public static async Task<HttpResponseMessage> PostWebhookAsync(this ClinicBotFactory host, object body, string? signature = "valid")
    {
        ArgumentNullException.ThrowIfNull(host);
        var bytes = body as byte[] ?? JsonSerializer.SerializeToUtf8Bytes(body);
        using var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/messenger") { Content = content };
        if (signature is not null)
        {
            request.Headers.TryAddWithoutValidation(MessengerWebhook.SignatureHeader, signature == "valid" ? Sign(bytes) : signature);
        }

        return await host.CreateClient().SendAsync(request);
    }

    public static string Sign(byte[] body, string secret = AppSecret) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    /// <summary>A webhook body with one text message from <paramref name="psid"/>.</summary>
    public static object TextMessage(string psid, string mid, string text, DateTimeOffset? sentAt = null, string? quickReplyPayload = null) =>
        Messaging(new Dictionary<string, object?>
        {
            ["sender"] = new { id = psid },
            ["recipient"] = new { id = PageId },
            ["timestamp"] = (sentAt ?? DateTimeOffset.UtcNow).ToUnixTimeMilliseconds(),
            ["message"] = quickReplyPayload is null
                ? new { mid, text }
                : new { mid, text, quick_reply = new { payload = quickReplyPayload } },
        });

    public static object Messaging(object item) => new
    {
        @object = "page",
        entry = new[] { new { id = PageId, time = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), messaging = new[] { item } } },
    };

    public static object Comment(string commentId, string fromId, string fromName, string message) => new
    {
        @object = "page",
        entry = new[]
        {
            new
            {
                id = PageId,
                time = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
                changes = new[]
                {
                    new
                    {
                        field = "feed",
                        value = new
                        {
                            from = new { id = fromId, name = fromName },
                            item = "comment",
                            verb = "add",
                            comment_id = commentId,
                            post_id = PageId + "_777",
                            parent_id = PageId + "_777",
                            message,
                            created_time = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
                            post = new { permalink_url = "https://www.facebook.com/riverside/posts/777" },
                        },
                    },
                },
            },
        },
    };
}
