using ClinicBot.Bot.Storage;

namespace ClinicBot.Tests.Storage;

public sealed class KeyFilterTests
{
    [Fact]
    public void EveryAddedKeyMightBeContainedAndFewOthersDo()
    {
        var filter = new KeyFilter(bitsLog2: 16); // about 6,500 keys at 1 %
        var added = Enumerable.Range(0, filter.Capacity).Select(i => $"webchat|conversation-{i % 97}|activity-{i}").ToList();
        Parallel.ForEach(added, filter.Add);

        Assert.All(added, key => Assert.True(filter.MightContain(key), key));
        var falsePositives = Enumerable.Range(0, 10_000).Count(i => filter.MightContain($"webchat|conversation-{i % 97}|other-{i}"));
        Assert.InRange(falsePositives, 0, 300); // 1 % expected, 3 % allowed
    }

    [Fact]
    public void AnEmptyFilterContainsNothing()
    {
        var filter = new KeyFilter(bitsLog2: 10);

        Assert.False(filter.MightContain("webchat|c1|a1"));
        Assert.False(filter.MightContain(string.Empty));
    }
}
