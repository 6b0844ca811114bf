using System.Net.Http.Headers;
using Azure.Core;
using Azure.Identity;
using Microsoft.Extensions.Options;

namespace ClinicBot.Bot.Recognition.Clu;

/// <summary>
/// Authenticates CLU requests: the <c>Ocp-Apim-Subscription-Key</c> header when <c>Recognizer:Clu:Key</c> is set,
/// otherwise a Microsoft Entra ID bearer token for Cognitive Services from <see cref="DefaultAzureCredential"/>
/// (managed identity in Azure). Sits inside the resilience handler, so every retry is authenticated afresh.
/// </summary>
public sealed class CluAuthenticationHandler : DelegatingHandler
{
    /// <summary>The token scope for Azure AI services.</summary>
    public const string Scope = "https://cognitiveservices.azure.com/.default";

    private readonly string? _key;
    private readonly Lazy<TokenCredential> _credential;

    /// <summary>Creates the handler; the credential is created only if no key is configured and a request is sent.</summary>
    public CluAuthenticationHandler(IOptions<RecognizerOptions> options, TokenCredential? credential = null)
    {
        _key = options.Value.Clu.Key;
        _credential = new Lazy<TokenCredential>(() => credential ?? new DefaultAzureCredential());
    }

    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrWhiteSpace(_key))
        {
            request.Headers.Remove("Ocp-Apim-Subscription-Key");
            request.Headers.Add("Ocp-Apim-Subscription-Key", _key);
        }
        else
        {
            // Azure.Identity caches tokens and refreshes them before they expire.
            var token = await _credential.Value.GetTokenAsync(new TokenRequestContext([Scope]), cancellationToken);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.Token);
        }

        return await base.SendAsync(request, cancellationToken);
    }
}
