using System.ComponentModel.DataAnnotations;

namespace ClinicBot.Bot.Recognition.Clu;

/// <summary>Which recognizer answers FAQ questions.</summary>
public enum RecognizerProvider
{
    /// <summary>The in-process MiniLM + classifier recognizer (default).</summary>
    Embedded = 0,

    /// <summary>Azure AI Language conversational language understanding, with the embedded recognizer as fallback.</summary>
    Clu = 1,
}

/// <summary>Configuration section <c>Recognizer</c>.</summary>
public sealed class RecognizerOptions : IValidatableObject
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Recognizer";

    /// <summary><c>Embedded</c> (default) or <c>Clu</c>.</summary>
    [EnumDataType(typeof(RecognizerProvider))]
    public RecognizerProvider Provider { get; set; } = RecognizerProvider.Embedded;

    /// <summary>Section <c>Recognizer:Clu</c>, validated only when <see cref="Provider"/> is <c>Clu</c>.</summary>
    [Required]
    public CluOptions Clu { get; set; } = new();

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Provider != RecognizerProvider.Clu)
        {
            yield break;
        }

        var clu = Clu ?? new CluOptions();
        if (clu.Endpoint is null || !clu.Endpoint.IsAbsoluteUri)
        {
            yield return new ValidationResult(
                "Recognizer:Clu:Endpoint is required when Recognizer:Provider is Clu (e.g. https://<resource>.cognitiveservices.azure.com/).",
                ["Clu:Endpoint"]);
        }

        if (string.IsNullOrWhiteSpace(clu.ProjectName))
        {
            yield return new ValidationResult("Recognizer:Clu:ProjectName is required when Recognizer:Provider is Clu.", ["Clu:ProjectName"]);
        }

        if (string.IsNullOrWhiteSpace(clu.DeploymentName))
        {
            yield return new ValidationResult("Recognizer:Clu:DeploymentName is required when Recognizer:Provider is Clu.", ["Clu:DeploymentName"]);
        }

        if (clu.TimeoutSeconds is < 1 or > 60)
        {
            yield return new ValidationResult("Recognizer:Clu:TimeoutSeconds must be between 1 and 60.", ["Clu:TimeoutSeconds"]);
        }

        if (clu.ConfidenceThreshold is < 0 or > 1)
        {
            yield return new ValidationResult("Recognizer:Clu:ConfidenceThreshold must be between 0 and 1.", ["Clu:ConfidenceThreshold"]);
        }
    }
}

/// <summary>Configuration section <c>Recognizer:Clu</c>: an Azure AI Language CLU deployment.</summary>
public sealed class CluOptions
{
    /// <summary>The Language resource endpoint, e.g. <c>https://clinicbot-language.cognitiveservices.azure.com/</c>.</summary>
    public Uri? Endpoint { get; set; }

    /// <summary>
    /// Resource key, sent as <c>Ocp-Apim-Subscription-Key</c>. Optional: when absent the bot authenticates with
    /// Microsoft Entra ID (<c>DefaultAzureCredential</c>: managed identity in Azure), which needs the
    /// "Cognitive Services Language Reader" role on the resource.
    /// </summary>
    public string? Key { get; set; }

    /// <summary>The CLU project name.</summary>
    public string? ProjectName { get; set; }

    /// <summary>The CLU deployment name.</summary>
    public string? DeploymentName { get; set; }

    /// <summary>Total time budget for one recognition, retries included (default 3 s); then the embedded recognizer answers.</summary>
    public int TimeoutSeconds { get; set; } = 3;

    /// <summary>
    /// Minimum CLU confidence to answer (default 0.7). CLU scores are calibrated differently from the embedded
    /// classifier, so this is not <c>KnowledgeBase:ConfidenceThreshold</c>.
    /// </summary>
    public double ConfidenceThreshold { get; set; } = 0.7;
}
