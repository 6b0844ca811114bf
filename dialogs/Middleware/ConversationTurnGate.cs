using System.Collections.Immutable;
using Microsoft.Bot.Builder;

namespace ClinicBot.Dialogs.Middleware;

/// <summary>
/// Runs the turns of one conversation one at a time, in arrival order, so two messages sent at once both
/// see the state the other left behind instead of racing and losing one. Different conversations run in
/// parallel. A turn that proactively continues its own conversation (re-entrancy) is let through rather
/// than deadlocking on itself.
/// </summary>
public sealed class ConversationTurnGate : IMiddleware
{
    private readonly Dictionary<string, Gate> _gates = new(StringComparer.Ordinal);
    private readonly AsyncLocal<ImmutableHashSet<string>?> _held = new();

    /// <summary>Conversations with a turn running or waiting; for tests and diagnostics.</summary>
    public int ActiveConversationCount
    {
        get
        {
            lock (_gates)
            {
                return _gates.Count;
            }
        }
    }

    public async Task OnTurnAsync(ITurnContext turnContext, NextDelegate next, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        ArgumentNullException.ThrowIfNull(next);
        var conversationId = turnContext.Activity?.Conversation?.Id;
        var held = _held.Value ?? ImmutableHashSet<string>.Empty;
        if (string.IsNullOrEmpty(conversationId) || held.Contains(conversationId))
        {
            await next(cancellationToken);
            return;
        }

        var gate = Acquire(conversationId);
        try
        {
            await gate.Semaphore.WaitAsync(cancellationToken);
            try
            {
                _held.Value = held.Add(conversationId);
                await next(cancellationToken);
            }
            finally
            {
                _held.Value = held;
                gate.Semaphore.Release();
            }
        }
        finally
        {
            Release(conversationId, gate);
        }
    }

    private Gate Acquire(string conversationId)
    {
        lock (_gates)
        {
            if (!_gates.TryGetValue(conversationId, out var gate))
            {
                gate = new Gate();
                _gates.Add(conversationId, gate);
            }

            gate.Users++;
            return gate;
        }
    }

    private void Release(string conversationId, Gate gate)
    {
        lock (_gates)
        {
            if (--gate.Users == 0)
            {
                _gates.Remove(conversationId);
                gate.Semaphore.Dispose();
            }
        }
    }

    private sealed class Gate
    {
        public SemaphoreSlim Semaphore { get; } = new(1, 1);

        public int Users { get; set; }
    }
}
