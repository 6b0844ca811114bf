using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace ClinicBot.Bot.Messenger;

/// <summary>Patients' Messenger profiles (first name to greet by), cached; a failed lookup is retried after a few minutes.</summary>
public sealed class MessengerProfiles(MessengerGraphClient graph, IMemoryCache cache, IOptions<MessengerOptions> options, ILogger<MessengerProfiles> logger)
{
    private static readonly TimeSpan FailureCacheDuration = TimeSpan.FromMinutes(5);

    /// <summary>The profile, or null when Meta does not give it (the patient's privacy settings, an outage).</summary>
    public async Task<MessengerProfile?> GetAsync(string psid, CancellationToken cancellationToken)
    {
        var key = "messenger:profile:" + psid;
        if (cache.TryGetValue(key, out MessengerProfile? cached))
        {
            return cached;
        }

        MessengerProfile? profile;
        try
        {
            profile = await graph.GetProfileAsync(psid, cancellationToken);
        }
        catch (Exception ex) when (ex is MessengerGraphException or HttpRequestException or System.Text.Json.JsonException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning("Could not read the Messenger profile of {Psid}: {Reason}", psid, ex is MessengerGraphException ? ex.Message : ex.GetType().Name);
            cache.Set(key, (MessengerProfile?)null, FailureCacheDuration);
            return null;
        }

        cache.Set(key, profile, profile is null ? FailureCacheDuration : TimeSpan.FromMinutes(options.Value.ProfileCacheMinutes));
        return profile;
    }
}
