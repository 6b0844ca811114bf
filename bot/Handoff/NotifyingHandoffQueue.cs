using ClinicBot.Dialogs.Handoff;

namespace ClinicBot.Bot.Handoff;

/// <summary>Tells the staff console the moment a new chat joins a queue (the bot enqueues it during the patient's turn).</summary>
public sealed class NotifyingHandoffQueue(IHandoffQueue inner, IStaffConsoleNotifier console, ILogger<NotifyingHandoffQueue> logger) : IHandoffQueue
{
    public async Task<HandoffPlacement> EnqueueAsync(HandoffRequest request, CancellationToken cancellationToken)
    {
        var placement = await inner.EnqueueAsync(request, cancellationToken);
        try
        {
            await console.HandoffChangedAsync(request, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Could not announce handoff {HandoffId} to the staff console", request.Id);
        }

        return placement;
    }

    public Task<HandoffRequest?> GetAsync(string id, CancellationToken cancellationToken) => inner.GetAsync(id, cancellationToken);

    public Task<IReadOnlyList<HandoffRequest>> ListOpenAsync(string? department, CancellationToken cancellationToken) => inner.ListOpenAsync(department, cancellationToken);

    public Task<IReadOnlyList<HandoffRequest>> ListWaitingSinceAsync(DateTimeOffset cutoff, CancellationToken cancellationToken) => inner.ListWaitingSinceAsync(cutoff, cancellationToken);

    public Task<IReadOnlyList<HandoffRequest>> ListByConversationAsync(string conversationId, CancellationToken cancellationToken) => inner.ListByConversationAsync(conversationId, cancellationToken);

    public Task<HandoffChange> AcceptAsync(string id, string staffId, string staffName, DateTimeOffset at, CancellationToken cancellationToken) => inner.AcceptAsync(id, staffId, staffName, at, cancellationToken);

    public Task<HandoffChange> EndAsync(string id, string outcome, DateTimeOffset at, CancellationToken cancellationToken) => inner.EndAsync(id, outcome, at, cancellationToken);

    public Task<HandoffChange> TransferAsync(string id, string department, string? note, DateTimeOffset at, CancellationToken cancellationToken) => inner.TransferAsync(id, department, note, at, cancellationToken);

    public Task<HandoffChange> EscalateAsync(string id, string supervisorDepartment, string? note, DateTimeOffset at, CancellationToken cancellationToken) => inner.EscalateAsync(id, supervisorDepartment, note, at, cancellationToken);

    public Task<HandoffChange> MarkUrgentAsync(string id, string redFlag, CancellationToken cancellationToken) => inner.MarkUrgentAsync(id, redFlag, cancellationToken);

    public Task<HandoffChange> TimeOutAsync(string id, string followUpId, DateTimeOffset at, CancellationToken cancellationToken) => inner.TimeOutAsync(id, followUpId, at, cancellationToken);

    public Task<HandoffMessage> AppendMessageAsync(HandoffMessage message, CancellationToken cancellationToken) => inner.AppendMessageAsync(message, cancellationToken);

    public Task<IReadOnlyList<HandoffMessage>> GetMessagesAsync(string id, CancellationToken cancellationToken) => inner.GetMessagesAsync(id, cancellationToken);

    public Task<TimeSpan> EstimateWaitAsync(string department, int position, CancellationToken cancellationToken) => inner.EstimateWaitAsync(department, position, cancellationToken);
}
