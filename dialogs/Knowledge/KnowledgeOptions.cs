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
    /// Where staff additions made through the console are written. It is data, not code, so it lives in the
    /// data folder (relative paths resolve against the working directory, like the SQLite file) and survives
    /// redeploys of the app.
    /// </summary>
    [Required]
    public string OverlayPath { get; set; } = "data/knowledge/clinic-faq.added.yaml";

    /// <summary>
    /// Minimum classifier probability to answer from the FAQ. 0.40 is tuned on the evaluation set for the embedded
    /// recognizer's regularised classifier (run tools/Evaluate after changing the knowledge base or the classifier).
    /// </summary>
    [Range(0.0, 1.0)]
    public double ConfidenceThreshold { get; set; } = 0.4;

    /// <summary>Folder for cached knowledge-base embeddings. Relative paths resolve against the working directory.</summary>
    [Required]
    public string EmbeddingCachePath { get; set; } = "data/knowledge-cache";

    /// <summary>How many candidates a recognition result carries.</summary>
    [Range(1, 20)]
    public int CandidateCount { get; set; } = 3;

    public string ResolvedPath => Resolve(Path);

    public string ResolvedOverlayPath => ResolveData(OverlayPath);

    public string ResolvedEmbeddingCachePath => ResolveData(EmbeddingCachePath);

    /// <summary>The shipped knowledge base travels with the app.</summary>
    private static string Resolve(string path) => System.IO.Path.GetFullPath(path, AppContext.BaseDirectory);

    /// <summary>Mutable data sits with the rest of the bot's data, under the working directory.</summary>
    private static string ResolveData(string path) => System.IO.Path.GetFullPath(path, Environment.CurrentDirectory);
}
