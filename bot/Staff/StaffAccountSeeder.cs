using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace ClinicBot.Bot.Staff;

/// <summary>
/// At first start (no accounts yet) creates the accounts in <c>Staff:SeedAccounts</c>, or a demo agent and a demo
/// supervisor. Generated passwords are printed once, here, and never again: the only secret that reaches the log.
/// </summary>
public sealed class StaffAccountSeeder(StaffAccountStore accounts, IOptions<StaffOptions> options, ILogger<StaffAccountSeeder> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (await accounts.CountAsync(cancellationToken) > 0)
        {
            return;
        }

        var seeds = options.Value.SeedAccounts.Count > 0
            ? options.Value.SeedAccounts
            :
            [
                new StaffSeedAccount { UserName = "agent", DisplayName = "Alex Agent", Role = StaffRoles.Agent, Departments = ["front-desk", "scheduling", "billing"] },
                new StaffSeedAccount { UserName = "supervisor", DisplayName = "Sam Supervisor", Role = StaffRoles.Supervisor, Departments = ["*"] },
            ];

        foreach (var seed in seeds)
        {
            var generated = string.IsNullOrEmpty(seed.Password);
            var password = generated ? NewPassword() : seed.Password!;
            var created = await accounts.CreateAsync(seed.UserName, seed.DisplayName ?? seed.UserName, seed.Role, seed.Departments, password, cancellationToken);
            if (created is null)
            {
                continue;
            }

            if (generated)
            {
                logger.LogWarning(
                    "Created staff account '{UserName}' ({Role}) with the password {Password} . It is shown only this once: sign in at /staff and keep it safe.",
                    seed.UserName, seed.Role, password);
            }
            else
            {
                logger.LogInformation("Created staff account '{UserName}' ({Role}) from Staff:SeedAccounts", seed.UserName, seed.Role);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static string NewPassword() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(15)).Replace('+', 'x').Replace('/', 'y');
}
