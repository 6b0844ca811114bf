using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;

namespace ClinicBot.Bot.WebChat;

/// <summary>
/// Exchanges the Azure Bot Service Direct Line secret for a conversation token, server-side
/// (POST {base}/tokens/generate), so the secret never reaches the browser.
/// </summary>
public sealed class AzureDirectLineTokens(HttpClient http, IOptions<WebChatOptions> options, ILogger<AzureDirectLineTokens> logger)
{
    public const string HttpClientName = "AzureDirectLine";

    public async Task<AzureToken?> GenerateAsync(string userId, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        using var request = new HttpRequestMessage(HttpMethod.Post, settings.DirectLineBaseUrl.TrimEnd('/') + "/tokens/generate")
        {
            Content = JsonContent.Create(new { user = new { id = userId } }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", settings.DirectLineSecret);
        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                logger.LogWarning("Azure Direct Line refused a token request with status {Status}", (int)response.StatusCode);
                return null;
            }

            var token = await response.Content.ReadFromJsonAsync<AzureToken>(cancellationToken);
            return token is { Token.Length: > 0 } ? token : null;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException)
        {
            logger.LogWarning(ex, "Azure Direct Line token request failed");
            return null;
        }
    }

    public sealed record AzureToken(
        [property: JsonPropertyName("conversationId")] string? ConversationId,
        [property: JsonPropertyName("token")] string Token,
        [property: JsonPropertyName("expires_in")] int ExpiresIn);
}
