using System.ComponentModel.DataAnnotations;

namespace ClinicBot.Bot.Storage;

/// <summary>Which <see cref="Microsoft.Bot.Builder.IStorage"/> implementation backs bot state.</summary>
public enum StorageProvider
{
    /// <summary>Local SQLite file (default).</summary>
    Sqlite = 0,

    /// <summary>Bot Builder's in-process MemoryStorage; state is lost on restart. Tests and local experiments only.</summary>
    Memory = 1,

    /// <summary>Azure Cosmos DB for NoSQL (section <c>Storage:Cosmos</c>); see docs/production-storage.md.</summary>
    Cosmos = 2,
}

/// <summary>Configuration section <c>Storage</c>.</summary>
public sealed class StorageOptions : IValidatableObject
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Storage";

    /// <summary>Storage backend. <c>Sqlite</c> (default), <c>Memory</c> or <c>Cosmos</c>.</summary>
    [EnumDataType(typeof(StorageProvider))]
    public StorageProvider Provider { get; set; } = StorageProvider.Sqlite;

    /// <summary>Section <c>Storage:Sqlite</c>.</summary>
    [Required]
    public SqliteStorageOptions Sqlite { get; set; } = new();

    /// <summary>
    /// How long a processed channel delivery (channel + conversation + activity id) is remembered, so a channel's
    /// retry of it runs once. Channels retry within minutes; 48 h leaves a wide margin.
    /// </summary>
    [Range(1, 24 * 30)]
    public int DeliveryRecordHours { get; set; } = 48;

    /// <summary>Section <c>Storage:Cosmos</c>; validated only when <see cref="Provider"/> is <c>Cosmos</c>.</summary>
    [Required]
    public Cosmos.CosmosStorageOptions Cosmos { get; set; } = new();

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Provider == StorageProvider.Cosmos)
        {
            foreach (var result in (Cosmos ?? new()).Validate())
            {
                yield return result;
            }

            yield break;
        }

        // DataAnnotations does not recurse into nested objects; validate the SQLite section only when it is used.
        if (Provider != StorageProvider.Sqlite || Sqlite is null)
        {
            yield break;
        }

        var results = new List<ValidationResult>();
        Validator.TryValidateObject(Sqlite, new ValidationContext(Sqlite), results, validateAllProperties: true);
        foreach (var result in results)
        {
            yield return new ValidationResult(
                result.ErrorMessage,
                result.MemberNames.Select(name => $"{nameof(Sqlite)}:{name}").ToArray());
        }
    }
}

/// <summary>Configuration section <c>Storage:Sqlite</c>.</summary>
public sealed class SqliteStorageOptions
{
    /// <summary>Default database path, relative to the current working directory.</summary>
    public const string DefaultPath = "data/clinicbot.db";

    /// <summary>Database file path; relative paths are resolved against the current working directory.</summary>
    [Required(AllowEmptyStrings = false)]
    public string Path { get; set; } = DefaultPath;

    /// <summary>How long a connection waits for a lock held by another writer before failing (SQLite busy_timeout).</summary>
    [Range(0, 600_000)]
    public int BusyTimeoutMilliseconds { get; set; } = 5_000;
}
