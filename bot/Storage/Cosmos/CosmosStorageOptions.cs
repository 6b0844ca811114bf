using System.ComponentModel.DataAnnotations;

namespace ClinicBot.Bot.Storage.Cosmos;

/// <summary>Configuration section <c>Storage:Cosmos</c> (used when <c>Storage:Provider</c> is <c>Cosmos</c>).</summary>
public sealed class CosmosStorageOptions
{
    /// <summary>Default database name.</summary>
    public const string DefaultDatabase = "clinicbot";

    /// <summary>Account endpoint, e.g. <c>https://clinicbot.documents.azure.com:443/</c>. Required.</summary>
    public Uri? AccountEndpoint { get; set; }

    /// <summary>Database name (default <c>clinicbot</c>).</summary>
    public string Database { get; set; } = DefaultDatabase;

    /// <summary>
    /// Account key. Optional: when absent the bot authenticates with Microsoft Entra ID through
    /// <c>DefaultAzureCredential</c> (managed identity in Azure, developer sign-in locally).
    /// </summary>
    public string? Key { get; set; }

    /// <summary>Bot state container (Bot Framework <c>IStorage</c>), default <c>botstate</c>.</summary>
    public string StateContainer { get; set; } = "botstate";

    /// <summary>Follow-up questions container, default <c>followups</c>.</summary>
    public string FollowUpsContainer { get; set; } = "followups";

    /// <summary>Transcript container, default <c>transcripts</c>. Documents expire after <c>Transcripts:RetentionDays</c>.</summary>
    public string TranscriptsContainer { get; set; } = "transcripts";

    /// <summary>Handoff queue container (requests, their transcripts and message counters), default <c>handoffs</c>.</summary>
    public string HandoffsContainer { get; set; } = "handoffs";

    /// <summary>Complaint cases container (cases and their reserved references), default <c>cases</c>.</summary>
    public string CasesContainer { get; set; } = "cases";

    /// <summary>
    /// Create the database and containers at start when missing (default true, convenient locally). In production,
    /// provision them with infrastructure code and set this to false, so the bot's identity needs only data-plane rights.
    /// </summary>
    public bool CreateContainers { get; set; } = true;

    /// <summary>Validation sentences that name the setting, checked when the provider is Cosmos.</summary>
    public IEnumerable<ValidationResult> Validate()
    {
        if (AccountEndpoint is null)
        {
            yield return new ValidationResult(
                "Storage:Cosmos:AccountEndpoint is required when Storage:Provider is Cosmos (e.g. https://<account>.documents.azure.com:443/).",
                ["Cosmos:AccountEndpoint"]);
        }
        else if (!AccountEndpoint.IsAbsoluteUri || (AccountEndpoint.Scheme != Uri.UriSchemeHttps && AccountEndpoint.Scheme != Uri.UriSchemeHttp))
        {
            yield return new ValidationResult("Storage:Cosmos:AccountEndpoint must be an absolute https URL.", ["Cosmos:AccountEndpoint"]);
        }

        foreach (var (name, value) in new[]
                 {
                     (nameof(Database), Database),
                     (nameof(StateContainer), StateContainer),
                     (nameof(FollowUpsContainer), FollowUpsContainer),
                     (nameof(TranscriptsContainer), TranscriptsContainer),
                     (nameof(HandoffsContainer), HandoffsContainer),
                     (nameof(CasesContainer), CasesContainer),
                 })
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                yield return new ValidationResult($"Storage:Cosmos:{name} must not be empty when Storage:Provider is Cosmos.", [$"Cosmos:{name}"]);
            }
        }
    }
}
