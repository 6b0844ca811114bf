namespace ClinicBot.Dialogs.Cases;

/// <summary>What the triage made of a public comment.</summary>
/// <param name="IsComplaint">Whether staff should follow it up as a complaint.</param>
/// <param name="Severity">How urgent it is, when it is a complaint.</param>
/// <param name="Summary">One line for the staff list, e.g. "Negative page comment: billing, no call back".</param>
public sealed record CommentAssessment(bool IsComplaint, CaseSeverity Severity, string Summary)
{
    public static CommentAssessment NotAComplaint { get; } = new(false, CaseSeverity.Low, string.Empty);
}

/// <summary>
/// Decides whether a public comment on the clinic's page is a complaint. The keyword triage is a stand-in; a
/// sentiment detector can replace it by registering another implementation.
/// </summary>
public interface ICommentTriage
{
    CommentAssessment Assess(string? text);
}
