using System.Globalization;
using ClinicBot.Bot.Storage.Sqlite;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace ClinicBot.Bot.Staff;

/// <summary>A local staff account (passwords are stored only as ASP.NET Core Identity hashes).</summary>
public sealed record StaffAccount(string Id, string UserName, string DisplayName, string Role, IReadOnlyList<string> Departments)
{
    public StaffMember ToMember() => new(Id, DisplayName, Role, Departments);
}

public enum StaffSignInOutcome
{
    Succeeded,
    Failed,
    LockedOut,
}

public sealed record StaffSignInResult(StaffSignInOutcome Outcome, StaffAccount? Account = null, DateTimeOffset? LockedUntil = null);

/// <summary>
/// Local staff accounts in the ClinicBot SQLite database, with hashed passwords (<see cref="PasswordHasher{TUser}"/>)
/// and lockout after <c>Staff:MaxFailedSignIns</c> failures in a row for <c>Staff:LockoutMinutes</c>.
/// </summary>
public sealed class StaffAccountStore(SqliteDatabase database, IOptions<StaffOptions> options, TimeProvider time)
{
    public static readonly SqliteMigration Schema = new("0400_staff_accounts", """
        CREATE TABLE IF NOT EXISTS staff_accounts (
            id TEXT PRIMARY KEY,
            user_name TEXT NOT NULL UNIQUE COLLATE NOCASE,
            display_name TEXT NOT NULL,
            role TEXT NOT NULL,
            departments TEXT NOT NULL,
            password_hash TEXT NOT NULL,
            failed_count INTEGER NOT NULL DEFAULT 0,
            locked_until_utc TEXT,
            created_utc TEXT NOT NULL
        );
        """);

    private static readonly PasswordHasher<StaffAccount> Hasher = new();

    // Verified against when the user name is unknown, so a wrong name costs as much time as a wrong password.
    private static readonly string DummyHash = Hasher.HashPassword(null!, "not-a-real-password-" + Guid.NewGuid());

    public async Task<int> CountAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM staff_accounts";
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    /// <summary>Creates an account; false when the user name is taken.</summary>
    public async Task<StaffAccount?> CreateAsync(string userName, string displayName, string role, IReadOnlyList<string> departments, string password, CancellationToken cancellationToken)
    {
        var account = new StaffAccount("S-" + Guid.NewGuid().ToString("N")[..12], userName.Trim(), displayName.Trim(), role, departments);
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO staff_accounts (id, user_name, display_name, role, departments, password_hash, created_utc)
            VALUES ($id, $user, $display, $role, $departments, $hash, $created)
            ON CONFLICT(user_name) DO NOTHING
            """;
        command.Parameters.AddWithValue("$id", account.Id);
        command.Parameters.AddWithValue("$user", account.UserName);
        command.Parameters.AddWithValue("$display", account.DisplayName);
        command.Parameters.AddWithValue("$role", role);
        command.Parameters.AddWithValue("$departments", string.Join(',', departments));
        command.Parameters.AddWithValue("$hash", Hasher.HashPassword(account, password));
        command.Parameters.AddWithValue("$created", time.GetUtcNow().UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1 ? account : null;
    }

    public async Task<IReadOnlyList<StaffAccount>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, user_name, display_name, role, departments FROM staff_accounts ORDER BY user_name";
        var list = new List<StaffAccount>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(Read(reader));
        }

        return list;
    }

    /// <summary>Checks a password, counting failures and locking the account after too many in a row.</summary>
    public async Task<StaffSignInResult> SignInAsync(string? userName, string? password, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction(deferred: false);
        await using var find = connection.CreateCommand();
        find.Transaction = transaction;
        find.CommandText = "SELECT id, user_name, display_name, role, departments, password_hash, failed_count, locked_until_utc FROM staff_accounts WHERE user_name = $user";
        find.Parameters.AddWithValue("$user", (userName ?? string.Empty).Trim());
        StaffAccount? account = null;
        string hash = DummyHash;
        var failed = 0;
        DateTimeOffset? lockedUntil = null;
        await using (var reader = await find.ExecuteReaderAsync(cancellationToken))
        {
            if (await reader.ReadAsync(cancellationToken))
            {
                account = Read(reader);
                hash = reader.GetString(5);
                failed = reader.GetInt32(6);
                lockedUntil = reader.IsDBNull(7) ? null : DateTimeOffset.Parse(reader.GetString(7), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
            }
        }

        if (account is not null && lockedUntil > now)
        {
            return new StaffSignInResult(StaffSignInOutcome.LockedOut, LockedUntil: lockedUntil);
        }

        var verified = !string.IsNullOrEmpty(password) && Hasher.VerifyHashedPassword(account!, hash, password) != PasswordVerificationResult.Failed;
        if (account is null)
        {
            return new StaffSignInResult(StaffSignInOutcome.Failed);
        }

        await using var update = connection.CreateCommand();
        update.Transaction = transaction;
        update.CommandText = "UPDATE staff_accounts SET failed_count = $failed, locked_until_utc = $locked WHERE id = $id";
        update.Parameters.AddWithValue("$id", account.Id);
        StaffSignInResult result;
        if (verified)
        {
            update.Parameters.AddWithValue("$failed", 0);
            update.Parameters.AddWithValue("$locked", DBNull.Value);
            result = new StaffSignInResult(StaffSignInOutcome.Succeeded, account);
        }
        else if (failed + 1 >= options.Value.MaxFailedSignIns)
        {
            var until = now.AddMinutes(options.Value.LockoutMinutes);
            update.Parameters.AddWithValue("$failed", 0);
            update.Parameters.AddWithValue("$locked", until.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
            result = new StaffSignInResult(StaffSignInOutcome.LockedOut, LockedUntil: until);
        }
        else
        {
            update.Parameters.AddWithValue("$failed", failed + 1);
            update.Parameters.AddWithValue("$locked", DBNull.Value);
            result = new StaffSignInResult(StaffSignInOutcome.Failed);
        }

        await update.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return result;
    }

    private static StaffAccount Read(SqliteDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        reader.GetString(2),
        reader.GetString(3),
        reader.GetString(4).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
