using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace ClinicBot.Bot.DirectLine;

/// <summary>A sliding-window limit on how many activities one conversation may post (429 + Retry-After past it).</summary>
public sealed class DirectLineRateLimiter(IOptions<DirectLineOptions> options, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Queue<DateTimeOffset>> _windows = new(StringComparer.Ordinal);

    /// <summary>True when the post is allowed; otherwise how long until the oldest post leaves the window.</summary>
    public bool TryAcquire(string conversationId, out TimeSpan retryAfter)
    {
        var window = TimeSpan.FromSeconds(options.Value.RateLimitWindowSeconds);
        var limit = options.Value.MaxActivitiesPerWindow;
        var now = time.GetUtcNow();
        if (_windows.Count > 10_000)
        {
            Prune(now - window);
        }

        var posts = _windows.GetOrAdd(conversationId, _ => new Queue<DateTimeOffset>());
        lock (posts)
        {
            while (posts.Count > 0 && posts.Peek() <= now - window)
            {
                posts.Dequeue();
            }

            if (posts.Count >= limit)
            {
                retryAfter = posts.Peek() + window - now;
                return false;
            }

            posts.Enqueue(now);
            retryAfter = TimeSpan.Zero;
            return true;
        }
    }

    private void Prune(DateTimeOffset before)
    {
        foreach (var (id, posts) in _windows)
        {
            lock (posts)
            {
                if (posts.Count == 0 || posts.Last() <= before)
                {
                    _windows.TryRemove(id, out _);
                }
            }
        }
    }
}
