using ClinicBot.Bot.Handoff;
using Microsoft.Bot.Builder;
using Microsoft.Extensions.Options;

namespace ClinicBot.Bot.ScaleOut;

/// <summary>
/// Shares staff presence between instances through the bot state store (<see cref="IStorage"/>: SQLite, Cosmos DB or
/// memory, whichever <c>Storage:Provider</c> chose). One document, key <see cref="StorageKey"/>, holds each
/// instance's list of connected staff with an expiry; every instance rewrites its own entry on each heartbeat (and at
/// once when a staff member connects or leaves), drops entries that expired (instances that died), and hands the
/// other instances' staff to <see cref="StaffPresence"/>. Writes use the document's ETag and retry on a conflict, so
/// two instances writing at once never lose each other's entry. Only staff ids and department keys are stored.
/// Heartbeats run on the wall clock, whatever <see cref="TimeProvider"/> the host uses.
/// </summary>
public sealed class SharedPresenceService(
    StaffPresence presence,
    IStorage storage,
    IOptions<ScaleOutOptions> options,
    ILogger<SharedPresenceService> logger) : BackgroundService
{
    public const string StorageKey = "clinicbot/staff-presence";
    private const int MaxAttempts = 10;

    private readonly SemaphoreSlim _changed = new(0, 1);

    /// <summary>This instance's id in the shared document (machine, process, random suffix).</summary>
    public string InstanceId { get; } = $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>Publishes this instance's staff and reads everyone else's, once.</summary>
    public async Task SyncOnceAsync(bool leaving, CancellationToken cancellationToken)
    {
        var now = DateTimeOffset.UtcNow;
        var expiry = TimeSpan.FromSeconds(options.Value.PresenceExpirySeconds);
        for (var attempt = 1; ; attempt++)
        {
            var read = await storage.ReadAsync<SharedPresenceDocument>([StorageKey], cancellationToken);
            var document = read.TryGetValue(StorageKey, out var existing) && existing is not null ? existing : new SharedPresenceDocument { ETag = null };
            var stale = document.Instances.Where(i => i.Value.ExpiresUtc < now).Select(i => i.Key).ToList();
            foreach (var key in stale)
            {
                document.Instances.Remove(key);
            }

            var local = presence.Local();
            var dirty = stale.Count > 0;
            if (leaving || local.Count == 0)
            {
                dirty |= document.Instances.Remove(InstanceId);
            }
            else
            {
                document.Instances[InstanceId] = new InstancePresence { ExpiresUtc = now + expiry, Staff = [.. local] };
                dirty = true;
            }

            presence.SetElsewhere(document.Instances.Where(i => i.Key != InstanceId).SelectMany(i => i.Value.Staff).ToList());
            if (!dirty)
            {
                return; // nothing of ours to publish: an instance without staff only reads
            }

            try
            {
                await storage.WriteAsync(new Dictionary<string, object> { [StorageKey] = document }, cancellationToken);
                return;
            }
            catch (ArgumentException ex) when (attempt < MaxAttempts && ex.Message.Contains("Etag", StringComparison.OrdinalIgnoreCase))
            {
                // Another instance wrote first: read its version and apply ours again.
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        presence.Changed -= OnChanged;
        await base.StopAsync(cancellationToken);
        try
        {
            // Leave the shared list at once rather than when this instance's entry expires.
            await SyncOnceAsync(leaving: true, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning("Could not remove this instance from the shared staff presence ({Error})", ex.GetType().Name);
        }
    }

    public override void Dispose()
    {
        _changed.Dispose();
        base.Dispose();
        GC.SuppressFinalize(this);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        presence.Changed += OnChanged;
        var interval = TimeSpan.FromSeconds(options.Value.PresenceHeartbeatSeconds);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await SyncOnceAsync(leaving: false, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogWarning("Sharing staff presence failed ({Error}); trying again at the next heartbeat", ex.GetType().Name);
            }

            try
            {
                await _changed.WaitAsync(interval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private void OnChanged()
    {
        try
        {
            _changed.Release();
        }
        catch (SemaphoreFullException)
        {
            // A sync is already due.
        }
        catch (ObjectDisposedException)
        {
        }
    }
}

/// <summary>The shared presence document: each instance's connected staff and when that list stops counting.</summary>
public sealed class SharedPresenceDocument : IStoreItem
{
    public Dictionary<string, InstancePresence> Instances { get; set; } = new(StringComparer.Ordinal);

    public string? ETag { get; set; }
}

public sealed class InstancePresence
{
    public DateTimeOffset ExpiresUtc { get; set; }

    public List<PresentStaff> Staff { get; set; } = [];
}
