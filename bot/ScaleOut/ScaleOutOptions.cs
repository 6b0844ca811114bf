using System.ComponentModel.DataAnnotations;

namespace ClinicBot.Bot.ScaleOut;

/// <summary>
/// Running more than one instance (section <c>ScaleOut</c>, plus <c>Azure:SignalR</c>). See docs/production-storage.md,
/// "Scale-out".
/// </summary>
public sealed class ScaleOutOptions : IValidatableObject
{
    public const string SectionName = "ScaleOut";

    /// <summary>
    /// StackExchange.Redis connection string of the SignalR backplane for self-hosted deployments with more than one
    /// instance (e.g. <c>redis.internal:6379,password=...,ssl=true</c>). Leave empty on Azure (use Azure SignalR
    /// Service) and with a single instance.
    /// </summary>
    public string? RedisConnectionString { get; set; }

    /// <summary>How often each instance publishes the staff connected to it to the shared store.</summary>
    [Range(0.1, 3600.0)]
    public double PresenceHeartbeatSeconds { get; set; } = 15;

    /// <summary>How long another instance's published staff list counts after its last heartbeat (an instance that died).</summary>
    [Range(0.5, 86400.0)]
    public double PresenceExpirySeconds { get; set; } = 45;

    /// <summary>Set by <see cref="ScaleOutExtensions"/> from <c>Azure:SignalR:ConnectionString</c>.</summary>
    public string? AzureSignalRConnectionString { get; set; }

    /// <summary>
    /// Set by <see cref="ScaleOutExtensions"/> from <c>Azure:SignalR:Endpoint</c> (managed identity); used only when
    /// there is no connection string.
    /// </summary>
    public string? AzureSignalREndpoint { get; set; }

    public bool UsesAzureSignalR => !string.IsNullOrWhiteSpace(AzureSignalRConnectionString) || !string.IsNullOrWhiteSpace(AzureSignalREndpoint);

    public bool UsesRedis => !string.IsNullOrWhiteSpace(RedisConnectionString);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (UsesAzureSignalR && UsesRedis)
        {
            yield return new ValidationResult(
                "Configure one SignalR backplane: Azure:SignalR (ConnectionString or Endpoint) or ScaleOut:RedisConnectionString, not both.",
                [nameof(RedisConnectionString)]);
        }

        // With both Azure settings (as the deployment templates set them), the connection string wins.
        if (string.IsNullOrWhiteSpace(AzureSignalRConnectionString) && !string.IsNullOrWhiteSpace(AzureSignalREndpoint)
            && (!Uri.TryCreate(AzureSignalREndpoint, UriKind.Absolute, out var endpoint) || endpoint.Scheme != Uri.UriSchemeHttps))
        {
            yield return new ValidationResult("Azure:SignalR:Endpoint must be an absolute https URL (https://<name>.service.signalr.net).", ["Azure:SignalR:Endpoint"]);
        }

        if (PresenceExpirySeconds <= PresenceHeartbeatSeconds)
        {
            yield return new ValidationResult(
                "ScaleOut:PresenceExpirySeconds must be longer than ScaleOut:PresenceHeartbeatSeconds (three heartbeats is a good value).",
                [nameof(PresenceExpirySeconds)]);
        }
    }
}
