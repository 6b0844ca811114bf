namespace ClinicBot.Dialogs.State;

/// <summary>
/// A storage that keeps each bot state document as <see cref="StateJson"/> text and can hand that text over as is.
/// <see cref="StateStore"/> uses it, when the <c>IStorage</c> offers it, to skip a serialisation on read and to tell
/// an unchanged document by comparing text.
/// </summary>
public interface IStateDocumentStorage
{
    /// <summary>The stored text of each key that exists.</summary>
    Task<IReadOnlyDictionary<string, string>> ReadDocumentsAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken);

    /// <summary>Writes the documents, last writer wins (no ETag), as one transaction where the storage has them.</summary>
    Task WriteDocumentsAsync(IReadOnlyDictionary<string, string> documents, CancellationToken cancellationToken);
}
