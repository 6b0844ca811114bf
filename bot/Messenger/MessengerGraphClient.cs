using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace ClinicBot.Bot.Messenger;

/// <summary>A Graph API call failed; carries Meta's error code, never message text or the access token.</summary>
public sealed class MessengerGraphException(string operation, int status, int? code, int? subcode, string? type)
    : Exception($"Graph API {operation} failed with HTTP {status} (error code {code?.ToString() ?? "none"}, subcode {subcode?.ToString() ?? "none"}, type {type ?? "none"}).")
{
    public int Status { get; } = status;

    public int? Code { get; } = code;

    public int? Subcode { get; } = subcode;
}

/// <summary>
/// The Graph API calls the Messenger channel makes: the Send API (messages, sender actions, private replies) and
/// the User Profile API. The page access token goes in the query string as Meta documents, with an
/// appsecret_proof; the HTTP client's own request logging is off so the token never reaches logs.
/// </summary>
public sealed class MessengerGraphClient(IHttpClientFactory httpClientFactory, IOptions<MessengerOptions> options)
{
    public const string HttpClientName = "Messenger.GraphApi";

    /// <summary>POST /{version}/me/messages; returns Meta's message id (null for sender actions).</summary>
    internal async Task<string?> SendAsync(SendRequest request, CancellationToken cancellationToken)
    {
        var http = httpClientFactory.CreateClient(HttpClientName);
        using var content = JsonContent.Create(request, options: MessengerJson.Options);
        using var response = await http.PostAsync(Url("me/messages", null), content, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw await ErrorAsync("Send API", response, cancellationToken);
        }

        var body = await response.Content.ReadFromJsonAsync<SendResponse>(MessengerJson.Options, cancellationToken);
        return body?.MessageId;
    }

    /// <summary>GET /{version}/{psid}?fields=first_name,last_name.</summary>
    public async Task<MessengerProfile?> GetProfileAsync(string psid, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(psid);
        var http = httpClientFactory.CreateClient(HttpClientName);
        using var response = await http.GetAsync(Url(Uri.EscapeDataString(psid), "fields=first_name,last_name"), cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw await ErrorAsync("User Profile API", response, cancellationToken);
        }

        return await response.Content.ReadFromJsonAsync<MessengerProfile>(MessengerJson.Options, cancellationToken);
    }

    private Uri Url(string path, string? query)
    {
        var settings = options.Value;
        var token = settings.PageAccessToken ?? string.Empty;
        var proof = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(settings.AppSecret ?? string.Empty), Encoding.UTF8.GetBytes(token)));
        var builder = new StringBuilder(settings.VersionedGraphUrl).Append('/').Append(path).Append('?');
        if (query is not null)
        {
            builder.Append(query).Append('&');
        }

        builder.Append("access_token=").Append(Uri.EscapeDataString(token)).Append("&appsecret_proof=").Append(proof);
        return new Uri(builder.ToString());
    }

    private static async Task<MessengerGraphException> ErrorAsync(string operation, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        GraphError? error = null;
        try
        {
            error = (await response.Content.ReadFromJsonAsync<GraphErrorResponse>(MessengerJson.Options, cancellationToken))?.Error;
        }
        catch (JsonException)
        {
        }
        catch (NotSupportedException)
        {
        }

        return new MessengerGraphException(operation, (int)response.StatusCode, error?.Code, error?.ErrorSubcode, error?.Type);
    }
}
