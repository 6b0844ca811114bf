using ClinicBot.Bot.Storage;
using ClinicBot.Bot.Storage.Sqlite;
using Microsoft.Extensions.Options;

namespace ClinicBot.Tests.Storage;

/// <summary>A temporary folder for SQLite database files, deleted (with the files) on dispose.</summary>
public sealed class SqliteTestDatabase : IDisposable
{
    private readonly List<SqliteDatabase> _databases = [];

    public SqliteTestDatabase()
    {
        Folder = Path.Combine(Path.GetTempPath(), "clinicbot-storage-tests", Guid.NewGuid().ToString("N"));
    }

    /// <summary>Folder that holds the database; not created until a database is opened.</summary>
    public string Folder { get; }

    public string FilePath => Path.Combine(Folder, "clinicbot.db");

    /// <summary>Opens (another) <see cref="SqliteDatabase"/> on <see cref="FilePath"/>, with the bot_state migration.</summary>
    public SqliteDatabase Open(params SqliteMigration[] extraMigrations) => Open(FilePath, extraMigrations);

    public SqliteDatabase Open(string path, params SqliteMigration[] extraMigrations) => Open(path, TimeProvider.System, extraMigrations);

    /// <summary>Opens a database on <see cref="FilePath"/> whose background checkpoints run on <paramref name="time"/>.</summary>
    public SqliteDatabase OpenWithClock(TimeProvider time, params SqliteMigration[] extraMigrations) => Open(FilePath, time, extraMigrations);

    private SqliteDatabase Open(string path, TimeProvider time, SqliteMigration[] extraMigrations)
    {
        var options = Options.Create(new StorageOptions { Sqlite = new SqliteStorageOptions { Path = path } });
        var database = new SqliteDatabase(options, [SqliteStorage.Migration, .. extraMigrations], timeProvider: time);
        _databases.Add(database);
        return database;
    }

    public void Dispose()
    {
        foreach (var database in _databases)
        {
            database.Dispose();
        }

        if (Directory.Exists(Folder))
        {
            Directory.Delete(Folder, recursive: true);
        }
    }
}
