using System.ComponentModel.DataAnnotations;

namespace ClinicBot.Bot.Staff;

/// <summary>The staff console: sign-in, lockout, seeded accounts and the optional OpenID Connect provider (section <c>Staff</c>).</summary>
public sealed class StaffOptions : IValidatableObject
{
    public const string SectionName = "Staff";

    /// <summary>
    /// Accounts created at first start (when there are none). Without this, a demo agent and a demo supervisor are
    /// created with random passwords that are printed once to the console log.
    /// </summary>
    public List<StaffSeedAccount> SeedAccounts { get; set; } = [];

    /// <summary>Failed sign-ins in a row that lock the account.</summary>
    [Range(1, 100)]
    public int MaxFailedSignIns { get; set; } = 5;

    [Range(1, 1440)]
    public int LockoutMinutes { get; set; } = 15;

    /// <summary>How long a console session lasts without activity.</summary>
    [Range(1, 24)]
    public int SessionHours { get; set; } = 8;

    /// <summary>Sign-in through OpenID Connect (e.g. Microsoft Entra ID); active when <c>Authority</c> is set.</summary>
    public StaffOpenIdConnectOptions OpenIdConnect { get; set; } = new();

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (account, index) in SeedAccounts.Select((a, i) => (a, i)))
        {
            if (string.IsNullOrWhiteSpace(account.UserName) || !StaffRoles.IsKnown(account.Role))
            {
                yield return new ValidationResult($"Staff:SeedAccounts:{index} needs a UserName and a Role of agent, supervisor or admin.", [nameof(SeedAccounts)]);
            }

            if (account.Password is { Length: < 12 })
            {
                yield return new ValidationResult($"Staff:SeedAccounts:{index}:Password must have at least 12 characters (or leave it out for a random one).", [nameof(SeedAccounts)]);
            }
        }

        if (OpenIdConnect.IsEnabled && string.IsNullOrWhiteSpace(OpenIdConnect.ClientId))
        {
            yield return new ValidationResult("Staff:OpenIdConnect:ClientId is required when Staff:OpenIdConnect:Authority is set.", [nameof(OpenIdConnect)]);
        }
    }
}

public sealed class StaffSeedAccount
{
    public string UserName { get; set; } = string.Empty;

    public string? DisplayName { get; set; }

    public string Role { get; set; } = StaffRoles.Agent;

    /// <summary>Department keys this person takes chats for; "*" for all.</summary>
    public List<string> Departments { get; set; } = [];

    /// <summary>Optional; a random one is generated and printed once when missing. Keep real ones in user secrets or a vault.</summary>
    public string? Password { get; set; }
}

public sealed class StaffOpenIdConnectOptions
{
    /// <summary>e.g. https://login.microsoftonline.com/{tenant-id}/v2.0</summary>
    public string? Authority { get; set; }

    public string? ClientId { get; set; }

    /// <summary>Keep in user secrets or a vault, never in appsettings.json.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>The token claim carrying app roles (agent, supervisor, admin).</summary>
    public string RoleClaim { get; set; } = "roles";

    /// <summary>The token claim carrying department keys (optional; supervisors take all).</summary>
    public string DepartmentsClaim { get; set; } = "departments";

    public bool IsEnabled => !string.IsNullOrWhiteSpace(Authority);
}
