using System.ComponentModel.DataAnnotations;

namespace ClinicBot.Dialogs.Knowledge;

/// <summary>Where the FAQ knowledge base lives and how sure the recognizer must be (section <c>KnowledgeBase</c>).</summary>
public sealed class KnowledgeOptions
{
    public const string SectionName = "KnowledgeBase";

    /// <summary>The staff-maintained YAML file. Relative paths resolve against the app base directory.</summary>
    [Required]
    public string Path { get; set; } = "knowledge/clinic-faq.yaml";

    /// <summary>
    /// Where staff additions made through the bot are written. Default: next to <see cref="Path"/> as
    /// <c>NAME.added.yaml</c>. Relative paths resolve against the app base directory.
    /// </summary>
    public string? OverlayPath { get; set; }

    /// <summary>
    /// Minimum classifier probability to answer from the FAQ. 0.40 is tuned on the evaluation set for the embedded
    /// recognizer's regularised classifier (run tools/Evaluate after changing the knowledge base or the classifier).
    /// </summary>
    [Range(0.0, 1.0)]
    public double ConfidenceThreshold { get; set; } = 0.4;

    /// <summary>Folder for cached knowledge-base embeddings. Relative paths resolve against the app base directory.</summary>
    [Required]
    public string EmbeddingCachePath { get; set; } = "data/knowledge-cache";

    /// <summary>How many candidates a recognition result carries.</summary>
    [Range(1, 20)]
    public int CandidateCount { get; set; } = 3;

    public string ResolvedPath => Resolve(Path);

    public string ResolvedOverlayPath => OverlayPath is { Length: > 0 } overlay
        ? Resolve(overlay)
        : System.IO.Path.ChangeExtension(ResolvedPath, null) + ".added" + System.IO.Path.GetExtension(ResolvedPath);

    public string ResolvedEmbeddingCachePath => Resolve(EmbeddingCachePath);

    private static string Resolve(string path) => System.IO.Path.GetFullPath(path, AppContext.BaseDirectory);
}
