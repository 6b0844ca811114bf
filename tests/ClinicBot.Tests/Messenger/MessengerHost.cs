using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ClinicBot.Bot.Messenger;
using ClinicBot.Bot.Recognition;
using ClinicBot.Dialogs.Knowledge;
using ClinicBot.Tests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace ClinicBot.Tests.Messenger;

/// <summary>
/// The real host (Program) over HTTP, with the direct Messenger channel on and pointed at a <see cref="FakeGraphApi"/>,
/// a temporary SQLite file, a scripted recognizer (no model to load) and a controllable clock.
/// </summary>
public sealed class MessengerHost : WebApplicationFactory<Program>
{
    public const string VerifyToken = "verify-me-123";
    public const string AppSecret = "test-app-secret";
    public const string PageAccessToken = "page-token-abc";
    public const string PageId = "PAGE1";

    private readonly FakeGraphApi _graph;
    private readonly Dictionary<string, string?> _settings;

    public MessengerHost(FakeGraphApi graph, string? dataFolder = null, Dictionary<string, string?>? settings = null)
    {
        _graph = graph;
        DataFolder = dataFolder ?? Path.Combine(Path.GetTempPath(), "clinicbot-messenger-" + Guid.NewGuid().ToString("N"));
        _settings = new Dictionary<string, string?>
        {
            ["Storage:Sqlite:Path"] = Path.Combine(DataFolder, "clinicbot.db"),
            ["KnowledgeBase:EmbeddingCachePath"] = Path.Combine(DataFolder, "knowledge-cache"),
            ["KnowledgeBase:OverlayPath"] = Path.Combine(DataFolder, "faq.added.yaml"),
            ["Messenger:Enabled"] = "true",
            ["Messenger:VerifyToken"] = VerifyToken,
            ["Messenger:AppSecret"] = AppSecret,
            ["Messenger:PageAccessToken"] = PageAccessToken,
            ["Messenger:GraphApiBaseUrl"] = graph.BaseUrl,
            ["Messenger:GraphApiVersion"] = "v21.0",
        };
        foreach (var (key, value) in settings ?? [])
        {
            _settings[key] = value;
        }
    }

    public string DataFolder { get; }

    public ScriptedRecognizer Recognizer { get; } = new();

    /// <summary>Starts at the real current time (Messenger timestamps in events are real), moved by tests.</summary>
    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    public CapturingLoggerProvider Logs { get; } = new();

    public T Get<T>()
        where T : notnull => Services.GetRequiredService<T>();

    /// <summary>Posts a webhook body signed as Meta signs it (or with the given signature header).</summary>
    public async Task<HttpResponseMessage> PostWebhookAsync(object body, string? signature = "valid")
    {
        var bytes = body as byte[] ?? JsonSerializer.SerializeToUtf8Bytes(body);
        using var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/messenger") { Content = content };
        if (signature is not null)
        {
            request.Headers.TryAddWithoutValidation(MessengerWebhook.SignatureHeader, signature == "valid" ? Sign(bytes) : signature);
        }

        return await CreateClient().SendAsync(request);
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

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureLogging(logging => logging.AddProvider(Logs));
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<TimeProvider>(Clock);
            services.AddSingleton<IQuestionRecognizer>(Recognizer);
            var warmup = services.Where(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType == typeof(KnowledgeRecognizerWarmup)).ToList();
            foreach (var descriptor in warmup)
            {
                services.Remove(descriptor);
            }
        });
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(DataFolder, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
