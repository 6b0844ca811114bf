using System.Collections.Concurrent;
using System.Threading.Channels;

namespace ClinicBot.Bot.DirectLine;

/// <summary>
/// The open WebSocket streams of each conversation. Logged activities carry their watermark; transient
/// ones (typing) carry 0 and are pushed but never stored.
/// </summary>
public sealed class DirectLineStreams
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<Subscription, byte>> _byConversation = new(StringComparer.Ordinal);

    public Subscription Subscribe(string conversationId)
    {
        var subscription = new Subscription(this, conversationId);
        _byConversation.GetOrAdd(conversationId, _ => new()).TryAdd(subscription, 0);
        return subscription;
    }

    public int CountFor(string conversationId) =>
        _byConversation.TryGetValue(conversationId, out var subscriptions) ? subscriptions.Count : 0;

    public void Publish(string conversationId, LoggedActivity activity)
    {
        if (_byConversation.TryGetValue(conversationId, out var subscriptions))
        {
            foreach (var subscription in subscriptions.Keys)
            {
                subscription.Offer(activity);
            }
        }
    }

    private void Remove(Subscription subscription)
    {
        if (_byConversation.TryGetValue(subscription.ConversationId, out var subscriptions))
        {
            subscriptions.TryRemove(subscription, out _);
            if (subscriptions.IsEmpty)
            {
                _byConversation.TryRemove(new KeyValuePair<string, ConcurrentDictionary<Subscription, byte>>(subscription.ConversationId, subscriptions));
            }
        }
    }

    public sealed class Subscription : IDisposable
    {
        private const int Capacity = 1000;
        private readonly DirectLineStreams _owner;
        private readonly Channel<LoggedActivity> _queue = Channel.CreateBounded<LoggedActivity>(new BoundedChannelOptions(Capacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });

        internal Subscription(DirectLineStreams owner, string conversationId)
        {
            _owner = owner;
            ConversationId = conversationId;
        }

        public string ConversationId { get; }

        public ChannelReader<LoggedActivity> Reader => _queue.Reader;

        public void Dispose()
        {
            _owner.Remove(this);
            _queue.Writer.TryComplete();
        }

        internal void Offer(LoggedActivity activity)
        {
            // A client that stopped reading is cut off (it reconnects and pages from its watermark) rather
            // than letting its queue grow without bound.
            if (!_queue.Writer.TryWrite(activity))
            {
                _queue.Writer.TryComplete();
            }
        }
    }
}
