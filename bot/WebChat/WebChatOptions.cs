using System.ComponentModel.DataAnnotations;

namespace ClinicBot.Bot.WebChat;

/// <summary>The website chat widget (section <c>WebChat</c>).</summary>
public sealed class WebChatOptions
{
    public const string SectionName = "WebChat";

    /// <summary>
    /// Azure Bot Service Direct Line secret. When set, the page talks to Azure Direct Line: the server
    /// exchanges this secret for a short-lived token, and the secret never reaches the browser. Configure it
    /// from Key Vault or user secrets only, never appsettings.json. When empty, the built-in Direct Line is used.
    /// </summary>
    public string? DirectLineSecret { get; set; }

    /// <summary>Azure Direct Line base URL (a regional one such as https://europe.directline.botframework.com/v3/directline).</summary>
    [Required]
    [Url]
    public string DirectLineBaseUrl { get; set; } = "https://directline.botframework.com/v3/directline";

    public bool UsesAzureDirectLine => !string.IsNullOrWhiteSpace(DirectLineSecret);
}

/// <summary>The clinic's patient portal, whose signed tokens vouch for a patient (section <c>PatientPortal</c>).</summary>
public sealed class PatientPortalOptions
{
    public const string SectionName = "PatientPortal";

    /// <summary>The HMAC-SHA256 key the portal signs patient tokens with (at least 32 characters). Empty: portal tokens are refused.</summary>
    [MinLength(32)]
    public string? SigningKey { get; set; }

    /// <summary>Longest lifetime a portal token may claim; tokens expiring later are refused as not short-lived.</summary>
    [Range(1, 60)]
    public int MaxTokenLifetimeMinutes { get; set; } = 10;
}
