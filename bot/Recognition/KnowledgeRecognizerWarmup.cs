using System.Diagnostics;
using ClinicBot.Dialogs.Knowledge;

namespace ClinicBot.Bot.Recognition;

/// <summary>
/// At start: loads the knowledge base (a <see cref="KnowledgeBaseException"/> stops the host, naming every bad entry and
/// field) and trains the recognizer before the web server takes traffic. Afterwards: retrains in the background when
/// staff add to the knowledge base (a query arriving first retrains itself, so it never sees a stale model).
/// </summary>
internal sealed class KnowledgeRecognizerWarmup(
    IKnowledgeBase knowledgeBase,
    EmbeddedQuestionRecognizer recognizer,
    ILogger<KnowledgeRecognizerWarmup> logger) : IHostedService, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private bool _disposed;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        await recognizer.WarmUpAsync(cancellationToken);
        knowledgeBase.Changed += OnChanged;
        logger.LogInformation(
            "Knowledge base ready: {EntryCount} entries, recognizer warmed up in {ElapsedMs:F0} ms",
            knowledgeBase.Current.Count,
            Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        knowledgeBase.Changed -= OnChanged;

        // WebApplicationFactory may dispose the services before it stops the host.
        if (!_disposed)
        {
            await _stopping.CancelAsync();
        }
    }

    public void Dispose()
    {
        _disposed = true;
        _stopping.Dispose();
    }

    private void OnChanged(object? sender, KnowledgeBaseChangedEventArgs e) => _ = RetrainAsync();

    private async Task RetrainAsync()
    {
        try
        {
            await recognizer.WarmUpAsync(_stopping.Token);
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Retraining the question recognizer after a knowledge-base change failed; the next query retries");
        }
    }
}
