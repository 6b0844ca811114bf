using Microsoft.Extensions.Options;

namespace ClinicBot.Bot.Transcripts;

/// <summary>Deletes transcript messages older than <c>Transcripts:RetentionDays</c>, at start and then every few hours.</summary>
public sealed class TranscriptPurgeService(
    ConversationTranscriptStore store,
    IOptions<TranscriptOptions> options,
    TimeProvider time,
    ILogger<TranscriptPurgeService> logger) : BackgroundService
{
    /// <summary>One purge pass; returns the number of messages deleted.</summary>
    public async Task<int> PurgeOnceAsync(CancellationToken cancellationToken)
    {
        var cutoff = time.GetUtcNow().AddDays(-options.Value.RetentionDays);
        var deleted = await store.PurgeAsync(cutoff, cancellationToken);
        if (deleted > 0)
        {
            logger.LogInformation("Purged {Count} transcript messages older than {RetentionDays} days", deleted, options.Value.RetentionDays);
        }

        return deleted;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromHours(options.Value.PurgeIntervalHours), time);
        do
        {
            try
            {
                await PurgeOnceAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Transcript purge failed; retrying at the next interval");
            }
        }
        while (await WaitAsync(timer, stoppingToken));
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
