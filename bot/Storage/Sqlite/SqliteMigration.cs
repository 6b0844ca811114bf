using System.Security.Cryptography;
using System.Text;

namespace ClinicBot.Bot.Storage.Sqlite;

/// <summary>
/// One schema change applied to the ClinicBot SQLite database. Migrations are applied once each, in ordinal
/// order of <see cref="Id"/>, each in its own transaction, and recorded in <c>schema_migrations</c>.
/// Register with <see cref="SqliteMigrationServiceCollectionExtensions.AddSqliteMigration(Microsoft.Extensions.DependencyInjection.IServiceCollection, string, string)"/>.
/// </summary>
/// <remarks>
/// Ids are global across all stores; prefix them with a zero-padded number so the order is obvious
/// (<c>0001_bot_state</c>, <c>0100_follow_ups</c>, ...). Never edit a migration that has shipped: its SQL is
/// checksummed and startup fails if an applied migration's SQL changes. Add a new migration instead.
/// </remarks>
public sealed class SqliteMigration
{
    /// <summary>Creates a migration.</summary>
    /// <param name="id">Unique, ordered id such as <c>0100_follow_ups</c>.</param>
    /// <param name="sql">One or more SQL statements.</param>
    public SqliteMigration(string id, string sql)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        ArgumentException.ThrowIfNullOrWhiteSpace(sql);
        Id = id;
        Sql = sql;
        Checksum = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sql.ReplaceLineEndings("\n").Trim())));
    }

    /// <summary>Unique id; migrations run in ordinal order of this value.</summary>
    public string Id { get; }

    /// <summary>The SQL to execute.</summary>
    public string Sql { get; }

    /// <summary>SHA-256 of the SQL (line endings normalised), recorded when applied.</summary>
    public string Checksum { get; }

    /// <inheritdoc />
    public override string ToString() => Id;
}
