using Microsoft.Extensions.DependencyInjection;

namespace ClinicBot.Bot.Storage.Sqlite;

/// <summary>Lets stores register the tables they need in the shared ClinicBot SQLite database.</summary>
public static class SqliteMigrationServiceCollectionExtensions
{
    /// <summary>Registers a schema migration that <see cref="SqliteDatabase"/> applies (once) before first use.</summary>
    public static IServiceCollection AddSqliteMigration(this IServiceCollection services, string id, string sql)
        => services.AddSqliteMigration(new SqliteMigration(id, sql));

    /// <summary>Registers a schema migration that <see cref="SqliteDatabase"/> applies (once) before first use.</summary>
    public static IServiceCollection AddSqliteMigration(this IServiceCollection services, SqliteMigration migration)
    {
        ArgumentNullException.ThrowIfNull(migration);
        return services.AddSingleton(migration);
    }
}
