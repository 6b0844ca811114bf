namespace ClinicBot.Dialogs.Knowledge;

/// <summary>The knowledge base file is invalid. <see cref="Errors"/> lists every problem found, each naming entry and field.</summary>
public sealed class KnowledgeBaseException : Exception
{
    public KnowledgeBaseException(string source, IReadOnlyList<string> errors)
        : base(FormatMessage(source, errors))
    {
        Source = source;
        Errors = errors;
    }

    public KnowledgeBaseException(string source, IReadOnlyList<string> errors, Exception innerException)
        : base(FormatMessage(source, errors), innerException)
    {
        Source = source;
        Errors = errors;
    }

    public IReadOnlyList<string> Errors { get; }

    private static string FormatMessage(string source, IReadOnlyList<string> errors) =>
        $"Knowledge base '{source}' is invalid ({errors.Count} error{(errors.Count == 1 ? "" : "s")}):"
        + string.Concat(errors.Select(e => Environment.NewLine + "  - " + e));
}
