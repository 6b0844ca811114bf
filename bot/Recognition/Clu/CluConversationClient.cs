using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;

namespace ClinicBot.Bot.Recognition.Clu;

/// <summary>
/// Calls Azure AI Language's <c>POST {endpoint}/language/:analyze-conversations?api-version=2023-04-01</c> (task kind
/// <c>Conversation</c>) for one utterance. A typed <see cref="HttpClient"/> whose pipeline adds authentication
/// (<see cref="CluAuthenticationHandler"/>) and resilience (timeouts, retries with backoff, circuit breaker).
/// </summary>
public sealed class CluConversationClient
{
    /// <summary>The REST API version used.</summary>
    public const string ApiVersion = "2023-04-01";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private readonly HttpClient _http;
    private readonly CluOptions _options;

    /// <summary>Creates the client (through IHttpClientFactory).</summary>
    public CluConversationClient(HttpClient http, IOptions<RecognizerOptions> options)
    {
        _http = http;
        _options = options.Value.Clu;
    }

    /// <summary>
    /// The prediction for <paramref name="text"/>. Throws <see cref="CluUnavailableException"/> when the service does
    /// not answer successfully (after the pipeline's retries), or the resilience pipeline's exception on timeout or
    /// open circuit.
    /// </summary>
    public async Task<CluPrediction> AnalyzeAsync(string text, CancellationToken cancellationToken)
    {
        var endpoint = _options.Endpoint ?? throw new InvalidOperationException("Recognizer:Clu:Endpoint is not configured.");
        var uri = new Uri(endpoint, $"language/:analyze-conversations?api-version={ApiVersion}");
        var request = new AnalyzeRequest(
            "Conversation",
            new AnalysisInput(new ConversationItem("1", "patient", text)),
            new AnalysisParameters(_options.ProjectName!, _options.DeploymentName!, "TextElement_V8"));

        using var response = await _http.PostAsJsonAsync(uri, request, Json, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new CluUnavailableException((int)response.StatusCode);
        }

        var body = await response.Content.ReadFromJsonAsync<AnalyzeResponse>(Json, cancellationToken);
        var prediction = body?.Result?.Prediction ?? throw new CluUnavailableException((int)response.StatusCode, "the response has no result.prediction");
        return new CluPrediction(prediction.TopIntent, prediction.Intents ?? []);
    }

    private sealed record AnalyzeRequest(string Kind, AnalysisInput AnalysisInput, AnalysisParameters Parameters);

    private sealed record AnalysisInput(ConversationItem ConversationItem);

    private sealed record ConversationItem(string Id, string ParticipantId, string Text);

    private sealed record AnalysisParameters(string ProjectName, string DeploymentName, string StringIndexType);

    private sealed record AnalyzeResponse(string? Kind, AnalyzeResult? Result);

    private sealed record AnalyzeResult(PredictionBody? Prediction);

    private sealed record PredictionBody(string? TopIntent, IReadOnlyList<CluIntent>? Intents);
}

/// <summary>CLU's answer: the top intent and every intent with its confidence.</summary>
public sealed record CluPrediction(string? TopIntent, IReadOnlyList<CluIntent> Intents);

/// <summary>One intent of a prediction.</summary>
public sealed record CluIntent(string Category, double ConfidenceScore);

/// <summary>The CLU service answered with an error status (after retries) or an unreadable body.</summary>
public sealed class CluUnavailableException(int statusCode, string? detail = null)
    : Exception($"Azure AI Language answered HTTP {statusCode}{(detail is null ? "." : ": " + detail)}")
{
    /// <summary>The final HTTP status code.</summary>
    public int StatusCode { get; } = statusCode;
}
