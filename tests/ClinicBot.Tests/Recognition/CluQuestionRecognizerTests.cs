using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using ClinicBot.Bot.Recognition;
using ClinicBot.Bot.Recognition.Clu;
using ClinicBot.Dialogs.Knowledge;
using ClinicBot.Tests.Knowledge;
using ClinicBot.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ClinicBot.Tests.Recognition;

/// <summary>The CLU recognizer against a local stub of the analyze-conversations API (Kestrel on 127.0.0.1).</summary>
[Collection(MiniLmCollection.Name)]
public sealed class CluQuestionRecognizerTests(MiniLmFixture fixture) : IAsyncLifetime, IDisposable
{
    private const string Key = "test-language-key";
    private const string Question = "do you take blue cross";
    private readonly string _directory = Directory.CreateTempSubdirectory("clinicbot-clu-").FullName;
    private readonly CapturingLoggerProvider _logs = new();
    private CluStub _stub = null!;

    public async Task InitializeAsync() => _stub = await CluStub.StartAsync();

    public async Task DisposeAsync()
    {
        await _stub.DisposeAsync();
        _logs.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    public void Dispose() => _logs.Dispose();

    [Fact]
    public async Task MapsTheTopIntentToTheKnowledgeEntryWithTheSameId()
    {
        _stub.Respond = _ => Prediction("insurance-accepted", ("insurance-accepted", 0.93), ("billing-questions", 0.04), ("None", 0.02));
        using var host = BuildHost();
        var recognizer = host.Services.GetRequiredService<IQuestionRecognizer>();

        var result = await recognizer.RecognizeAsync(Question, CancellationToken.None);

        Assert.IsType<CluQuestionRecognizer>(recognizer);
        Assert.Equal("insurance-accepted", result.Accepted?.Id);
        Assert.Equal(0.93, result.Confidence, 3);
        Assert.Equal(0.7, result.Threshold);
        Assert.Equal("insurance-accepted", result.Candidates[0].Entry.Id);
        Assert.DoesNotContain(result.Candidates, c => c.Entry.Id == "None");
    }

    [Fact]
    public async Task SendsTheDocumentedRequestWithTheKeyHeader()
    {
        _stub.Respond = _ => Prediction("insurance-accepted", ("insurance-accepted", 0.93));
        using var host = BuildHost();

        await host.Services.GetRequiredService<IQuestionRecognizer>().RecognizeAsync("  " + Question + " ", CancellationToken.None);

        var request = Assert.Single(_stub.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/language/:analyze-conversations", request.Path);
        Assert.Equal("?api-version=2023-04-01", request.Query);
        Assert.Equal(Key, request.SubscriptionKey);
        Assert.Null(request.Authorization);
        Assert.StartsWith("application/json", request.ContentType, StringComparison.Ordinal);
        var body = JsonNode.Parse(request.Body)!;
        Assert.Equal("Conversation", (string?)body["kind"]);
        var item = body["analysisInput"]!["conversationItem"]!;
        Assert.Equal(Question, (string?)item["text"]);
        Assert.False(string.IsNullOrEmpty((string?)item["id"]));
        Assert.False(string.IsNullOrEmpty((string?)item["participantId"]));
        Assert.Equal("clinic-faq", (string?)body["parameters"]!["projectName"]);
        Assert.Equal("production", (string?)body["parameters"]!["deploymentName"]);
        Assert.Equal("TextElement_V8", (string?)body["parameters"]!["stringIndexType"]);
    }

    [Fact]
    public async Task BelowTheThresholdThereIsNoAnswer()
    {
        _stub.Respond = _ => Prediction("insurance-accepted", ("insurance-accepted", 0.41), ("hours", 0.3));
        using var host = BuildHost();

        var result = await host.Services.GetRequiredService<IQuestionRecognizer>().RecognizeAsync(Question, CancellationToken.None);

        Assert.Equal("insurance-accepted", result.Best?.Id);
        Assert.False(result.IsConfident);
        Assert.Null(result.Accepted);
    }

    [Fact]
    public async Task TheNoneIntentMeansNoAnswer()
    {
        _stub.Respond = _ => Prediction("None", ("None", 0.97), ("hours", 0.02));
        using var host = BuildHost();

        var result = await host.Services.GetRequiredService<IQuestionRecognizer>().RecognizeAsync("what is the meaning of life", CancellationToken.None);

        Assert.Null(result.Best);
        Assert.Null(result.Accepted);
    }

    [Fact]
    public async Task AServerErrorFallsBackToTheEmbeddedRecognizerAfterRetriesWithoutLoggingTheText()
    {
        _stub.Respond = _ => (500, """{"error":{"code":"InternalServerError","message":"boom"}}""");
        using var host = BuildHost();

        var result = await host.Services.GetRequiredService<IQuestionRecognizer>().RecognizeAsync(Question, CancellationToken.None);

        Assert.Equal("insurance-accepted", result.Accepted?.Id); // the embedded recognizer's answer
        Assert.Equal(0.4, result.Threshold); // ... with its own threshold
        Assert.Equal(3, _stub.Requests.Count); // first attempt + 2 retries
        Assert.Contains(_logs.Lines, l => l.Contains("CLU recognition failed", StringComparison.Ordinal) && l.Contains("HTTP 500", StringComparison.Ordinal));
        Assert.DoesNotContain(_logs.Lines, l => l.Contains("blue cross", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task ATimeoutFallsBackToTheEmbeddedRecognizerWithinTheBudget()
    {
        _stub.Respond = _ =>
        {
            Thread.Sleep(TimeSpan.FromSeconds(5));
            return Prediction("hours", ("hours", 0.99));
        };
        using var host = BuildHost(timeoutSeconds: 1);
        var recognizer = host.Services.GetRequiredService<IQuestionRecognizer>();
        await host.Services.GetRequiredService<EmbeddedQuestionRecognizer>().WarmUpAsync(CancellationToken.None);

        var stopwatch = Stopwatch.StartNew();
        var result = await recognizer.RecognizeAsync(Question, CancellationToken.None);

        Assert.Equal("insurance-accepted", result.Accepted?.Id);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(4), $"took {stopwatch.Elapsed}");
        Assert.Contains(_logs.Lines, l => l.Contains("CLU recognition failed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task WithoutAKeyTheRequestCarriesAnEntraIdBearerToken()
    {
        _stub.Respond = _ => Prediction("hours", ("hours", 0.9));
        using var host = BuildHost(key: null, configure: services =>
            services.AddTransient(sp => new CluAuthenticationHandler(
                sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<RecognizerOptions>>(), new StaticTokenCredential("entra-token"))));

        await host.Services.GetRequiredService<IQuestionRecognizer>().RecognizeAsync("when are you open", CancellationToken.None);

        var request = Assert.Single(_stub.Requests);
        Assert.Null(request.SubscriptionKey);
        Assert.Equal("Bearer entra-token", request.Authorization);
    }

    [Fact]
    public async Task EmbeddedIsTheDefaultProvider()
    {
        using var host = BuildHost(provider: null);

        Assert.IsType<EmbeddedQuestionRecognizer>(host.Services.GetRequiredService<IQuestionRecognizer>());
        await Task.CompletedTask;
    }

    [Fact]
    public async Task CluWithoutAnEndpointFailsStartWithASentenceNamingTheSetting()
    {
        using var host = BuildHost(endpoint: null);

        var ex = await Assert.ThrowsAnyAsync<Exception>(() => host.StartAsync());

        Assert.Contains("Recognizer:Clu:Endpoint is required when Recognizer:Provider is Clu", ex.Message, StringComparison.Ordinal);
    }

    private static (int Status, string Body) Prediction(string top, params (string Category, double Score)[] intents) => (200, JsonSerializer.Serialize(new
    {
        kind = "ConversationResult",
        result = new
        {
            query = "(ignored)",
            prediction = new
            {
                topIntent = top,
                projectKind = "Conversation",
                intents = intents.Select(i => new { category = i.Category, confidenceScore = i.Score }),
                entities = Array.Empty<object>(),
            },
        },
    }));

    private IHost BuildHost(string? provider = "Clu", string? endpoint = "stub", string? key = Key, int timeoutSeconds = 3, Action<IServiceCollection>? configure = null)
    {
        var path = Path.Combine(_directory, "faq.yaml");
        if (!File.Exists(path))
        {
            File.Copy(KnowledgeBaseYamlTests.SamplePath, path);
        }

        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["KnowledgeBase:Path"] = path,
            ["KnowledgeBase:EmbeddingCachePath"] = Path.Combine(_directory, "cache"),
            ["Recognizer:Provider"] = provider,
            ["Recognizer:Clu:Endpoint"] = endpoint == "stub" ? _stub.Endpoint.AbsoluteUri : endpoint,
            ["Recognizer:Clu:Key"] = key,
            ["Recognizer:Clu:ProjectName"] = "clinic-faq",
            ["Recognizer:Clu:DeploymentName"] = "production",
            ["Recognizer:Clu:TimeoutSeconds"] = timeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        builder.Services.AddLogging(logging => logging.AddProvider(_logs).SetMinimumLevel(LogLevel.Information));
        builder.Services.AddSingleton<ISentenceEmbedder>(fixture.Embedder);
        builder.AddClinicBotKnowledge();
        configure?.Invoke(builder.Services);
        return builder.Build();
    }

    private sealed class StaticTokenCredential(string token) : Azure.Core.TokenCredential
    {
        public override Azure.Core.AccessToken GetToken(Azure.Core.TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            new(token, DateTimeOffset.UtcNow.AddHours(1));

        public override ValueTask<Azure.Core.AccessToken> GetTokenAsync(Azure.Core.TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            ValueTask.FromResult(GetToken(requestContext, cancellationToken));
    }

    /// <summary>A minimal analyze-conversations endpoint on loopback that records what it receives.</summary>
    private sealed class CluStub : IAsyncDisposable
    {
        private readonly WebApplication _app;

        private CluStub(WebApplication app, Uri endpoint)
        {
            _app = app;
            Endpoint = endpoint;
        }

        public Uri Endpoint { get; }

        public Func<HttpContext, (int Status, string Body)> Respond { get; set; } = _ => (404, "{}");

        public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

        public static async Task<CluStub> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            var app = builder.Build();
            CluStub? stub = null;
            app.Run(async context =>
            {
                using var reader = new StreamReader(context.Request.Body);
                var body = await reader.ReadToEndAsync();
                stub!.Requests.Enqueue(new RecordedRequest(
                    context.Request.Method,
                    context.Request.Path.Value ?? string.Empty,
                    context.Request.QueryString.Value ?? string.Empty,
                    context.Request.Headers["Ocp-Apim-Subscription-Key"].FirstOrDefault(),
                    context.Request.Headers.Authorization.FirstOrDefault(),
                    context.Request.ContentType ?? string.Empty,
                    body));
                var (status, response) = await Task.Run(() => stub.Respond(context));
                context.Response.StatusCode = status;
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync(response);
            });
            await app.StartAsync();
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            stub = new CluStub(app, new Uri(address.TrimEnd('/') + "/"));
            return stub;
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    private sealed record RecordedRequest(string Method, string Path, string Query, string? SubscriptionKey, string? Authorization, string ContentType, string Body);
}
