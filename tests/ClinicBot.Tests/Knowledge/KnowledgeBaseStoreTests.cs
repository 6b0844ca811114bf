using ClinicBot.Dialogs.Knowledge;
using Microsoft.Extensions.Time.Testing;

namespace ClinicBot.Tests.Knowledge;

public sealed class KnowledgeBaseStoreTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("clinicbot-kb-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Staff_answer_is_added_persisted_to_the_overlay_and_reloaded()
    {
        var path = Path.Combine(_directory, "faq.yaml");
        var overlay = Path.Combine(_directory, "faq.added.yaml");
        File.Copy(KnowledgeBaseYamlTests.SamplePath, path);
        var original = File.ReadAllText(path);
        using var source = new YamlKnowledgeBaseSource(path, overlay);
        using var store = KnowledgeBaseStore.Load(source, new FakeTimeProvider(new DateTimeOffset(2025, 3, 4, 10, 30, 0, TimeSpan.Zero)));
        var before = store.Current;
        var changes = new List<KnowledgeBaseChangedEventArgs>();
        store.Changed += (_, e) => changes.Add(e);

        var entry = await store.AddStaffAnswerAsync("Can I bring my own resistance bands?", "Yes, bring them along.", KnowledgeDepartments.FrontDesk, CancellationToken.None);
        var phrased = await store.AddPhrasingAsync("parking", "where do i leave the car", CancellationToken.None);

        Assert.Equal("staff-20250304-103000", entry.Id);
        Assert.True(entry.AddedByStaff);
        Assert.Equal(2, changes.Count);
        Assert.Same(before, changes[0].Previous);
        Assert.Same(changes[0].Current, changes[1].Previous);
        Assert.Same(store.Current, changes[1].Current);
        Assert.Equal(before.Count + 1, store.Current.Count);
        Assert.Contains("where do i leave the car", phrased.Phrasings);
        Assert.Equal(original, File.ReadAllText(path));

        var reloaded = source.Load();
        Assert.Equal("Can I bring my own resistance bands?", reloaded.Find(entry.Id)!.Question);
        Assert.True(reloaded.Find(entry.Id)!.AddedByStaff);
        Assert.Contains("where do i leave the car", reloaded.Find("parking")!.Phrasings);
        Assert.Equal(store.Current.ContentHash, reloaded.ContentHash);
    }

    [Fact]
    public async Task Two_additions_in_the_same_second_get_distinct_ids()
    {
        var path = Path.Combine(_directory, "faq.yaml");
        File.Copy(KnowledgeBaseYamlTests.SamplePath, path);
        using var source = new YamlKnowledgeBaseSource(path, Path.Combine(_directory, "faq.added.yaml"));
        using var store = KnowledgeBaseStore.Load(source, new FakeTimeProvider());

        var a = await store.AddStaffAnswerAsync("Question one?", "Answer one.", null, CancellationToken.None);
        var b = await store.AddStaffAnswerAsync("Question two?", "Answer two.", null, CancellationToken.None);

        Assert.NotEqual(a.Id, b.Id);
        Assert.Equal(2, source.Load().Entries.Count(e => e.AddedByStaff));
    }

    [Fact]
    public void Overlay_errors_name_the_overlay_file()
    {
        var path = Path.Combine(_directory, "faq.yaml");
        var overlay = Path.Combine(_directory, "faq.added.yaml");
        File.Copy(KnowledgeBaseYamlTests.SamplePath, path);
        File.WriteAllText(overlay, "entries:\n  - id: hours\n    question: q\n    answer: a\nphrasings:\n  - entry: nope\n    text: hi\n");

        var ex = Assert.Throws<KnowledgeBaseException>(() => new YamlKnowledgeBaseSource(path, overlay).Load());

        Assert.Contains(ex.Errors, e => e.StartsWith(overlay, StringComparison.Ordinal) && e.Contains("(id 'hours')", StringComparison.Ordinal) && e.Contains("duplicates", StringComparison.Ordinal));
        Assert.Contains(ex.Errors, e => e.Contains("phrasing #1", StringComparison.Ordinal) && e.Contains("'entry'", StringComparison.Ordinal));
    }
}
