using System.Security.Claims;
using System.Text.Encodings.Web;
using System.Text.Json.Serialization;
using ClinicBot.Bot.Handoff;
using ClinicBot.Bot.Storage.Sqlite;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;

namespace ClinicBot.Bot.Staff;

public static class StaffConsoleExtensions
{
    public const string CookieScheme = "StaffCookie";
    public const string OpenIdConnectScheme = "StaffOidc";
    public const string StaffPolicy = "staff";
    public const string SupervisorPolicy = "staff-supervisor";
    public const string ManageUsersPolicy = "staff-manage-users";

    /// <summary>
    /// The staff console: local accounts (hashed passwords, lockout, seeded at first start), cookie sign-in with
    /// anti-forgery, optional OpenID Connect (<c>Staff:OpenIdConnect:Authority</c>), roles, the audit log, the SignalR hub
    /// that relays chats in real time, and the JSON API.
    /// </summary>
    public static IHostApplicationBuilder AddStaffConsole(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<StaffOptions>()
            .BindConfiguration(StaffOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        var staffOptions = builder.Configuration.GetSection(StaffOptions.SectionName).Get<StaffOptions>() ?? new StaffOptions();

        services.AddSqliteMigration(StaffAccountStore.Schema);
        services.AddSqliteMigration(StaffAuditLog.Schema);
        services.AddSingleton<StaffAccountStore>();
        services.AddSingleton<StaffAuditLog>();
        services.AddHostedService<StaffAccountSeeder>();

        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter());

            // Escape <, >, & and quotes in every JSON answer: patient text stays inert even if a client mishandles it.
            o.SerializerOptions.Encoder = JavaScriptEncoder.Default;
        });
        services.AddSignalR();
        services.AddSingleton<IStaffConsoleNotifier, SignalRStaffConsoleNotifier>();

        services.AddAntiforgery(o =>
        {
            o.HeaderName = StaffApi.CsrfHeader;
            o.Cookie.Name = "clinicbot.staff.csrf";
            o.Cookie.SameSite = SameSiteMode.Strict;
        });

        var authentication = services.AddAuthentication(CookieScheme).AddCookie(CookieScheme, o =>
        {
            o.Cookie.Name = "clinicbot.staff";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.ExpireTimeSpan = TimeSpan.FromHours(staffOptions.SessionHours);
            o.SlidingExpiration = true;
            o.LoginPath = StaffPages.SignInPath;
            o.AccessDeniedPath = StaffPages.DeniedPath;
            o.Events.OnRedirectToLogin = context => ApiAware(context, StatusCodes.Status401Unauthorized);
            o.Events.OnRedirectToAccessDenied = context => ApiAware(context, StatusCodes.Status403Forbidden);
        });

        if (staffOptions.OpenIdConnect.IsEnabled)
        {
            var oidc = staffOptions.OpenIdConnect;
            authentication.AddOpenIdConnect(OpenIdConnectScheme, "Microsoft Entra ID", o =>
            {
                o.SignInScheme = CookieScheme;
                o.Authority = oidc.Authority;
                o.ClientId = oidc.ClientId;
                o.ClientSecret = oidc.ClientSecret;
                o.ResponseType = "code";
                o.UsePkce = true;
                o.MapInboundClaims = false;
                o.CallbackPath = "/staff/signin-oidc";
                o.SignedOutCallbackPath = "/staff/signout-callback-oidc";
                o.Scope.Add("profile");
                o.TokenValidationParameters.NameClaimType = "name";
                o.TokenValidationParameters.RoleClaimType = oidc.RoleClaim;
                o.Events.OnTokenValidated = context =>
                {
                    // Map the directory's app roles and departments onto the console's own claims.
                    var identity = (ClaimsIdentity)context.Principal!.Identity!;
                    var roles = identity.FindAll(oidc.RoleClaim).Select(c => c.Value.ToLowerInvariant()).Where(StaffRoles.IsKnown).ToList();
                    if (roles.Count == 0)
                    {
                        context.Fail("The account has no ClinicBot staff role (agent, supervisor or admin).");
                        return Task.CompletedTask;
                    }

                    identity.AddClaim(new Claim(ClaimTypes.NameIdentifier, "oidc:" + (identity.FindFirst("oid")?.Value ?? identity.FindFirst("sub")?.Value)));
                    identity.AddClaims(roles.Select(r => new Claim(ClaimTypes.Role, r)));
                    identity.AddClaims(identity.FindAll(oidc.DepartmentsClaim).Select(c => new Claim(StaffMember.DepartmentsClaim, c.Value)).ToList());
                    return Task.CompletedTask;
                };
            });
        }

        services.AddAuthorizationBuilder()
            .AddPolicy(StaffPolicy, p => p.AddAuthenticationSchemes(CookieScheme).RequireRole(StaffRoles.All))
            .AddPolicy(SupervisorPolicy, p => p.AddAuthenticationSchemes(CookieScheme).RequireRole(StaffRoles.Supervisor, StaffRoles.Admin))
            .AddPolicy(ManageUsersPolicy, p => p.AddAuthenticationSchemes(CookieScheme).RequireRole(StaffRoles.Supervisor, StaffRoles.Admin));
        return builder;
    }

    /// <summary>Security headers, authentication, the console pages at <c>/staff</c>, the hub and the API at <c>/api/staff</c>.</summary>
    public static WebApplication MapStaffConsole(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseWhen(IsStaffPath, branch =>
        {
            if (!app.Environment.IsDevelopment())
            {
                branch.UseHsts();
            }

            branch.Use(async (context, next) =>
            {
                var headers = context.Response.Headers;
                headers.ContentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; media-src 'self' data:; " +
                    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
                headers.XContentTypeOptions = "nosniff";
                headers.XFrameOptions = "DENY";
                headers["Referrer-Policy"] = "no-referrer";
                headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()";
                headers.CacheControl = "no-store";
                await next();
            });
        });
        app.UseAuthentication();
        app.UseAuthorization();

        app.MapStaffPages();
        app.MapStaffApi();
        app.MapHub<StaffHub>(StaffHub.Path);
        return app;
    }

    internal static ClaimsPrincipal PrincipalFor(StaffAccount account) =>
        new(new ClaimsIdentity(StaffApi.Claims(account), CookieScheme, ClaimTypes.Name, ClaimTypes.Role));

    private static bool IsStaffPath(HttpContext context) =>
        context.Request.Path.StartsWithSegments("/staff") || context.Request.Path.StartsWithSegments("/api/staff");

    private static Task ApiAware(RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        var path = context.Request.Path;
        if (path.StartsWithSegments("/api") || path.StartsWithSegments(StaffHub.Path))
        {
            context.Response.StatusCode = status;
            return Task.CompletedTask;
        }

        context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }
}
