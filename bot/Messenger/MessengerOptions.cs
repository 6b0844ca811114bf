using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;

namespace ClinicBot.Bot.Messenger;

/// <summary>
/// The direct Facebook Messenger channel (section <c>Messenger</c>): ClinicBot's own Messenger Platform webhook at
/// /api/messenger, without Azure Bot Service. Off unless <see cref="Enabled"/>; checked at start only when on.
/// Keep <see cref="AppSecret"/>, <see cref="PageAccessToken"/> and <see cref="VerifyToken"/> in user secrets or
/// environment variables, never in appsettings.json.
/// </summary>
public sealed partial class MessengerOptions : IValidatableObject
{
    public const string SectionName = "Messenger";

    public bool Enabled { get; set; }

    /// <summary>The token you type in the Meta app's webhook setup; Meta echoes it in the GET handshake.</summary>
    public string? VerifyToken { get; set; }

    /// <summary>The Meta app's secret: signs every webhook POST (X-Hub-Signature-256).</summary>
    public string? AppSecret { get; set; }

    /// <summary>The page access token the bot sends with (Send API, User Profile API).</summary>
    public string? PageAccessToken { get; set; }

    public string GraphApiBaseUrl { get; set; } = "https://graph.facebook.com";

    public string GraphApiVersion { get; set; } = "v21.0";

    /// <summary>Largest accepted webhook body; larger requests get 413.</summary>
    [Range(1024, 16 * 1024 * 1024)]
    public int MaxRequestBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>How long a patient's Messenger profile (first name) is cached.</summary>
    [Range(1, 7 * 24 * 60)]
    public int ProfileCacheMinutes { get; set; } = 12 * 60;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Enabled)
        {
            yield break;
        }

        if (string.IsNullOrWhiteSpace(VerifyToken))
        {
            yield return Missing(nameof(VerifyToken), "the token Meta sends to verify the webhook");
        }

        if (string.IsNullOrWhiteSpace(AppSecret))
        {
            yield return Missing(nameof(AppSecret), "the Meta app secret that signs webhook requests");
        }

        if (string.IsNullOrWhiteSpace(PageAccessToken))
        {
            yield return Missing(nameof(PageAccessToken), "the page access token used to send messages");
        }

        if (!Uri.TryCreate(GraphApiBaseUrl, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
        {
            yield return new ValidationResult("Messenger:GraphApiBaseUrl must be an absolute http(s) URL such as https://graph.facebook.com.", [nameof(GraphApiBaseUrl)]);
        }

        if (string.IsNullOrWhiteSpace(GraphApiVersion) || !VersionPattern().IsMatch(GraphApiVersion))
        {
            yield return new ValidationResult("Messenger:GraphApiVersion must look like v21.0.", [nameof(GraphApiVersion)]);
        }
    }

    /// <summary>The Graph API root for this version, without a trailing slash: https://graph.facebook.com/v21.0.</summary>
    public string VersionedGraphUrl => GraphApiBaseUrl.TrimEnd('/') + "/" + GraphApiVersion;

    private static ValidationResult Missing(string name, string what) =>
        new($"Messenger:{name} is required when Messenger:Enabled is true ({what}); set it in user secrets or an environment variable (Messenger__{name}).", [name]);

    [GeneratedRegex(@"^v\d+\.\d+$")]
    private static partial Regex VersionPattern();
}
