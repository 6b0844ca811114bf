namespace ClinicBot.Dialogs.Knowledge;

/// <summary>
/// The staff-maintained YAML file plus an overlay file next to it where additions made through the bot are written
/// (the staff file is never rewritten, so its comments and layout survive).
/// </summary>
public sealed class YamlKnowledgeBaseSource(string path, string overlayPath) : IKnowledgeBaseSource, IDisposable
{
    private readonly SemaphoreSlim _writeLock = new(1, 1);

    public string Name => path;

    public string OverlayPath => overlayPath;

    public KnowledgeBase Load() => KnowledgeBaseYaml.LoadFile(path, overlayPath);

    public Task AppendEntryAsync(KnowledgeEntry entry, CancellationToken cancellationToken) =>
        UpdateOverlayAsync(
            overlay => (overlay.Entries ??= []).Add(new KnowledgeBaseYaml.EntryDto
            {
                Id = entry.Id,
                Department = entry.Department,
                Question = entry.Question,
                Answer = entry.Answer,
                Phrasings = entry.Phrasings.Count > 0 ? [.. entry.Phrasings] : null,
                Links = entry.Links.Count > 0
                    ? [.. entry.Links.Select(l => new KnowledgeBaseYaml.LinkDto { Title = l.Title, Url = l.Url.OriginalString })]
                    : null,
            }),
            cancellationToken);

    public Task AppendPhrasingAsync(string entryId, string phrasing, CancellationToken cancellationToken) =>
        UpdateOverlayAsync(
            overlay => (overlay.Phrasings ??= []).Add(new KnowledgeBaseYaml.PhrasingDto { Entry = entryId, Text = phrasing }),
            cancellationToken);

    public void Dispose() => _writeLock.Dispose();

    private async Task UpdateOverlayAsync(Action<KnowledgeBaseYaml.OverlayFile> change, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            var overlay = File.Exists(overlayPath)
                ? KnowledgeBaseYaml.ParseOverlayForUpdate(await File.ReadAllTextAsync(overlayPath, cancellationToken), overlayPath)
                : new KnowledgeBaseYaml.OverlayFile();
            change(overlay);
            Directory.CreateDirectory(Path.GetDirectoryName(overlayPath)!);

            // Write then rename, so a crash never leaves a half-written overlay that would stop the next start.
            var temp = overlayPath + ".tmp";
            await File.WriteAllTextAsync(temp, KnowledgeBaseYaml.SerializeOverlay(overlay), cancellationToken);
            File.Move(temp, overlayPath, overwrite: true);
        }
        finally
        {
            _writeLock.Release();
        }
    }
}
