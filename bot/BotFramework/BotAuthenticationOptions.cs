using System.ComponentModel.DataAnnotations;

namespace ClinicBot.Bot.BotFramework;

/// <summary>
/// Azure Bot Service identity, read from the configuration root under the names Bot Framework uses
/// (MicrosoftAppType, MicrosoftAppId, MicrosoftAppPassword, MicrosoftAppTenantId). With no app id the bot
/// accepts unauthenticated requests, which is only meant for local use.
/// </summary>
public sealed class BotAuthenticationOptions : IValidatableObject
{
    public string? MicrosoftAppType { get; set; }

    public string? MicrosoftAppId { get; set; }

    public string? MicrosoftAppPassword { get; set; }

    public string? MicrosoftAppTenantId { get; set; }

    public bool IsAuthenticationEnabled => !string.IsNullOrWhiteSpace(MicrosoftAppId);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!IsAuthenticationEnabled)
        {
            yield break;
        }

        var type = string.IsNullOrWhiteSpace(MicrosoftAppType) ? "MultiTenant" : MicrosoftAppType.Trim();
        switch (type.ToUpperInvariant())
        {
            case "SINGLETENANT":
                if (string.IsNullOrWhiteSpace(MicrosoftAppTenantId))
                {
                    yield return new ValidationResult("MicrosoftAppTenantId is required when MicrosoftAppType is SingleTenant.", [nameof(MicrosoftAppTenantId)]);
                }

                if (string.IsNullOrWhiteSpace(MicrosoftAppPassword))
                {
                    yield return new ValidationResult("MicrosoftAppPassword is required when MicrosoftAppType is SingleTenant (keep it in Key Vault or user secrets, never in appsettings.json).", [nameof(MicrosoftAppPassword)]);
                }

                break;
            case "MULTITENANT":
                if (string.IsNullOrWhiteSpace(MicrosoftAppPassword))
                {
                    yield return new ValidationResult("MicrosoftAppPassword is required when MicrosoftAppId is set and MicrosoftAppType is MultiTenant.", [nameof(MicrosoftAppPassword)]);
                }

                break;
            case "USERASSIGNEDMSI":
                if (string.IsNullOrWhiteSpace(MicrosoftAppTenantId))
                {
                    yield return new ValidationResult("MicrosoftAppTenantId is required when MicrosoftAppType is UserAssignedMSI.", [nameof(MicrosoftAppTenantId)]);
                }

                break;
            default:
                yield return new ValidationResult($"MicrosoftAppType must be SingleTenant, MultiTenant or UserAssignedMSI (got '{type}').", [nameof(MicrosoftAppType)]);
                break;
        }
    }
}
