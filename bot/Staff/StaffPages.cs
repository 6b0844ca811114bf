using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace ClinicBot.Bot.Staff;

/// <summary>
/// The console's server-rendered pages: sign-in (form post with an anti-forgery token), sign-out and access denied; and
/// the console itself (a static page whose script, <c>/staff/console.js</c>, talks to the API and the hub).
/// </summary>
public static class StaffPages
{
    public const string SignInPath = "/staff/sign-in";
    public const string DeniedPath = "/staff/denied";

    public static IEndpointRouteBuilder MapStaffPages(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/staff", (IWebHostEnvironment environment) =>
            Results.File(environment.WebRootFileProvider.GetFileInfo("staff/console.html").CreateReadStream(), "text/html; charset=utf-8"))
            .RequireAuthorization(StaffConsoleExtensions.StaffPolicy);

        endpoints.MapGet(SignInPath, (HttpContext http, IAntiforgery antiforgery, IOptions<StaffOptions> options, string? error, string? returnUrl) =>
            Html(SignInPage(antiforgery.GetAndStoreTokens(http), options.Value, error, returnUrl)));

        endpoints.MapPost(SignInPath, SignInAsync).DisableAntiforgery();

        endpoints.MapGet(SignInPath + "/oidc", (IOptions<StaffOptions> options) => options.Value.OpenIdConnect.IsEnabled
            ? Results.Challenge(new AuthenticationProperties { RedirectUri = "/staff" }, [StaffConsoleExtensions.OpenIdConnectScheme])
            : Results.NotFound());

        endpoints.MapPost("/staff/sign-out", async (HttpContext http, IAntiforgery antiforgery) =>
        {
            if (!await antiforgery.IsRequestValidAsync(http))
            {
                return Results.BadRequest();
            }

            await http.SignOutAsync(StaffConsoleExtensions.CookieScheme);
            return Results.Redirect(SignInPath);
        }).DisableAntiforgery();

        endpoints.MapGet(DeniedPath, () => Html(Page("Access denied", "<p>Your role does not allow this page.</p><p><a href=\"/staff\">Back to the console</a></p>"), StatusCodes.Status403Forbidden));
        return endpoints;
    }

    private static async Task<IResult> SignInAsync(HttpContext http, IAntiforgery antiforgery, StaffAccountStore accounts, CancellationToken ct)
    {
        if (!http.Request.HasFormContentType)
        {
            return Results.BadRequest();
        }

        if (!await antiforgery.IsRequestValidAsync(http))
        {
            return Results.Redirect(SignInPath + "?error=expired");
        }

        var form = await http.Request.ReadFormAsync(ct);
        var returnUrl = form["returnUrl"].ToString();
        var result = await accounts.SignInAsync(form["userName"], form["password"], ct);
        if (result.Outcome != StaffSignInOutcome.Succeeded)
        {
            var error = result.Outcome == StaffSignInOutcome.LockedOut ? "locked" : "invalid";
            return Results.Redirect($"{SignInPath}?error={error}&returnUrl={Uri.EscapeDataString(returnUrl)}");
        }

        await http.SignInAsync(StaffConsoleExtensions.CookieScheme, StaffConsoleExtensions.PrincipalFor(result.Account!));

        // Only local paths: never an open redirect.
        var target = returnUrl.StartsWith('/') && !returnUrl.StartsWith("//", StringComparison.Ordinal) && !returnUrl.StartsWith("/\\", StringComparison.Ordinal) ? returnUrl : "/staff";
        return Results.Redirect(target);
    }

    private static string SignInPage(AntiforgeryTokenSet tokens, StaffOptions options, string? error, string? returnUrl)
    {
        var html = HtmlEncoder.Default;
        var message = error switch
        {
            "invalid" => "Wrong user name or password.",
            "locked" => $"Too many failed sign-ins: the account is locked for {options.LockoutMinutes} minutes.",
            "expired" => "The form expired; please sign in again.",
            _ => null,
        };
        var body = new StringBuilder();
        body.Append("<form method=\"post\" action=\"").Append(SignInPath).Append("\" class=\"sign-in\">");
        if (message is not null)
        {
            body.Append("<p class=\"error\" role=\"alert\">").Append(html.Encode(message)).Append("</p>");
        }

        body.Append("<input type=\"hidden\" name=\"").Append(html.Encode(tokens.FormFieldName)).Append("\" value=\"").Append(html.Encode(tokens.RequestToken ?? string.Empty)).Append("\">");
        body.Append("<input type=\"hidden\" name=\"returnUrl\" value=\"").Append(html.Encode(returnUrl ?? "/staff")).Append("\">");
        body.Append("<label>User name <input id=\"userName\" name=\"userName\" autocomplete=\"username\" required autofocus></label>");
        body.Append("<label>Password <input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"current-password\" required></label>");
        body.Append("<button id=\"sign-in\" type=\"submit\">Sign in</button></form>");
        if (options.OpenIdConnect.IsEnabled)
        {
            body.Append("<p><a class=\"button\" href=\"").Append(SignInPath).Append("/oidc\">Sign in with Microsoft Entra ID</a></p>");
        }

        return Page("Staff sign-in", body.ToString());
    }

    private static string Page(string title, string body) =>
        $"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">" +
        $"<title>{HtmlEncoder.Default.Encode(title)} · ClinicBot</title><link rel=\"stylesheet\" href=\"/staff/staff.css\"></head>" +
        $"<body class=\"page\"><main class=\"narrow\"><h1>{HtmlEncoder.Default.Encode(title)}</h1>{body}</main></body></html>";

    private static IResult Html(string html, int status = StatusCodes.Status200OK) =>
        Results.Content(html, "text/html; charset=utf-8", Encoding.UTF8, status);
}
