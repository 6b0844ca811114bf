using Microsoft.Bot.Builder;

namespace ClinicBot.Tests.Storage;

/// <summary>Bot Builder's own MemoryStorage: the reference the contract is checked against.</summary>
public sealed class MemoryStorageContractTests : StorageContractTests
{
    protected override IStorage Storage { get; } = new MemoryStorage();

    // Bot Builder 4.23.1 MemoryStorage treats a null ETag on an existing item as a conflict.
    protected override bool NullETagOverwritesExistingItem => false;
}
