using System.Text.Json.Serialization;
using ClinicBot.Bot.DirectLine;
using Microsoft.Extensions.Options;

namespace ClinicBot.Bot.WebChat;

/// <summary>
/// POST /api/webchat/token: what the website calls before rendering Web Chat. Returns a Direct Line token,
/// the user id Web Chat must use and the Direct Line domain. With a valid <c>portalToken</c> the user is the
/// verified patient; otherwise a visitor (the browser's <c>visitorId</c>, namespaced so it can never pass as a
/// patient). With <c>WebChat:DirectLineSecret</c> configured the token comes from Azure Bot Service.
/// </summary>
public static class WebChatTokenEndpoint
{
    public static async Task<IResult> HandleAsync(
        HttpContext http,
        TokenRequest? request,
        PatientPortalTokens portal,
        IOptions<WebChatOptions> options,
        IServiceProvider services,
        ILoggerFactory loggerFactory)
    {
        PortalPatient? patient = null;
        if (!string.IsNullOrEmpty(request?.PortalToken))
        {
            patient = portal.Verify(request.PortalToken, out var reason);
            if (patient is null)
            {
                loggerFactory.CreateLogger(typeof(WebChatTokenEndpoint)).LogWarning("Refused a web chat token: the portal token did not verify");
                return Results.Json(new { error = new { code = "InvalidPortalToken", message = reason } }, statusCode: StatusCodes.Status401Unauthorized);
            }
        }

        var userId = patient is null ? DirectLineUsers.Visitor(request?.VisitorId) : DirectLineUsers.Patient(patient.PatientId);
        var settings = options.Value;
        if (settings.UsesAzureDirectLine)
        {
            // Azure Direct Line wants user ids that start with dl_ in tokens it generates.
            var azureUserId = "dl_" + userId.Replace(':', '_');
            var azure = await services.GetRequiredService<AzureDirectLineTokens>().GenerateAsync(azureUserId, http.RequestAborted);
            return azure is null
                ? Results.Json(new { error = new { code = "DirectLineUnavailable", message = "The chat service is unavailable; please try again shortly." } }, statusCode: StatusCodes.Status502BadGateway)
                : Results.Json(new TokenResponse(azure.Token, azure.ConversationId, azureUserId, azure.ExpiresIn, settings.DirectLineBaseUrl.TrimEnd('/'), Verified: false));
        }

        var tokens = services.GetRequiredService<DirectLineTokenService>();
        var grant = tokens.NewConversation(userId, patient?.PatientId, patient?.Name);
        var domain = $"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}{DirectLineEndpoints.BasePath}";
        return Results.Json(new TokenResponse(tokens.Issue(grant), grant.ConversationId, userId, tokens.ExpiresInSeconds(grant), domain, patient is not null));
    }

    public sealed record TokenRequest(
        [property: JsonPropertyName("portalToken")] string? PortalToken,
        [property: JsonPropertyName("visitorId")] string? VisitorId);

    /// <summary>
    /// <c>verified</c> says the user id is a portal-verified patient (built-in Direct Line only: through Azure
    /// the bot cannot yet tell verified users apart and treats everyone as a visitor).
    /// </summary>
    public sealed record TokenResponse(
        [property: JsonPropertyName("token")] string Token,
        [property: JsonPropertyName("conversationId")] string? ConversationId,
        [property: JsonPropertyName("userId")] string UserId,
        [property: JsonPropertyName("expiresIn")] int ExpiresIn,
        [property: JsonPropertyName("domain")] string Domain,
        [property: JsonPropertyName("verified")] bool Verified);
}
