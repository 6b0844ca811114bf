namespace ClinicBot.Dialogs.Cases;

/// <summary>Complaint cases, durable (SQLite) or in memory for tests.</summary>
public interface ICaseStore
{
    /// <summary>
    /// Stores a new case and returns it with <see cref="ComplaintCase.Id"/> (when empty) and a unique
    /// <see cref="ComplaintCase.Reference"/> assigned. The case passed in is updated too.
    /// </summary>
    Task<ComplaintCase> CreateAsync(ComplaintCase complaint, CancellationToken cancellationToken);

    /// <summary>The case with this id or this reference ("C-24817", any case), or null.</summary>
    Task<ComplaintCase?> GetAsync(string idOrReference, CancellationToken cancellationToken);

    /// <summary>Cases, oldest first; only those with <paramref name="status"/> when given.</summary>
    Task<IReadOnlyList<ComplaintCase>> ListAsync(CaseStatus? status, CancellationToken cancellationToken);

    /// <summary>Replaces a stored case (matched by id); false when there is no such case.</summary>
    Task<bool> UpdateAsync(ComplaintCase complaint, CancellationToken cancellationToken);
}
