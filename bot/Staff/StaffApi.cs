using System.Security.Claims;
using ClinicBot.Bot.FollowUps;
using ClinicBot.Bot.Handoff;
using ClinicBot.Bot.Transcripts;
using ClinicBot.Dialogs.FollowUps;
using ClinicBot.Dialogs.Handoff;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace ClinicBot.Bot.Staff;

/// <summary>
/// JSON API under <c>/api/staff</c>: the console's operations for scripts and integrations. Cookie-authenticated;
/// anonymous callers get 401, the wrong role 403, bad input 400 with a reason, an unknown id 404, a lost race 409.
/// Every POST except sign-in needs the anti-forgery token in the <c>X-CSRF-TOKEN</c> header.
/// </summary>
public static class StaffApi
{
    public const string CsrfHeader = "X-CSRF-TOKEN";

    public static IEndpointRouteBuilder MapStaffApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/staff").DisableAntiforgery();
        api.MapPost("/sign-in", SignInAsync).AllowAnonymous();

        var staff = api.MapGroup(string.Empty).RequireAuthorization(StaffConsoleExtensions.StaffPolicy).AddEndpointFilter(RequireCsrfTokenOnPostsAsync);
        staff.MapPost("/sign-out", async (HttpContext http) =>
        {
            await http.SignOutAsync(StaffConsoleExtensions.CookieScheme);
            return Results.NoContent();
        });
        staff.MapGet("/me", (HttpContext http, IAntiforgery antiforgery) =>
        {
            var me = Me(http);
            return Results.Ok(new { id = me.Id, displayName = me.DisplayName, firstName = me.FirstName, role = me.Role, departments = me.Departments, csrfToken = antiforgery.GetAndStoreTokens(http).RequestToken });
        });
        staff.MapPost("/presence", (HttpContext http, PresenceRequest body, StaffPresence presence) =>
        {
            var me = Me(http);
            if (body.Available)
            {
                presence.MarkOnline("api:" + me.Id, me.Id, me.IsSupervisor ? ["*", HandoffService.SupervisorDepartment] : me.Departments);
            }
            else
            {
                presence.MarkOffline("api:" + me.Id, me.Id);
            }

            return Results.NoContent();
        });
        staff.MapGet("/departments", (IOptions<HandoffOptions> options) =>
            Results.Ok(options.Value.Departments.Select(d => new { key = d.Key, teamName = d.TeamName, role = d.Role, liveChat = d.LiveChat })));

        staff.MapGet("/queue", QueueAsync);
        staff.MapGet("/handoffs/{id}", GetHandoffAsync);
        staff.MapPost("/handoffs/{id}/accept", (string id, HttpContext http, HandoffService handoffs, StaffAuditLog audit, CancellationToken ct) =>
            ActAsync(http, audit, "accepted", id, null, () => handoffs.AcceptAsync(id, Me(http), ct), ct));
        staff.MapPost("/handoffs/{id}/send", (string id, TextRequest body, HttpContext http, HandoffService handoffs, StaffAuditLog audit, CancellationToken ct) =>
            ActAsync(http, audit, "sent", id, null, () => handoffs.SendAsync(id, Me(http), body.Text, ct), ct));
        staff.MapPost("/handoffs/{id}/notes", (string id, TextRequest body, HttpContext http, HandoffService handoffs, StaffAuditLog audit, CancellationToken ct) =>
            ActAsync(http, audit, "noted", id, null, () => handoffs.AddNoteAsync(id, Me(http), body.Text, ct), ct));
        staff.MapPost("/handoffs/{id}/transfer", (string id, TransferRequest body, HttpContext http, HandoffService handoffs, StaffAuditLog audit, CancellationToken ct) =>
            ActAsync(http, audit, "transferred", id, body.Department, () => handoffs.TransferAsync(id, Me(http), body.Department, body.Note, ct), ct));
        staff.MapPost("/handoffs/{id}/escalate", (string id, EscalateRequest? body, HttpContext http, HandoffService handoffs, StaffAuditLog audit, CancellationToken ct) =>
            ActAsync(http, audit, "escalated", id, null, () => handoffs.EscalateAsync(id, Me(http), body?.Note, ct), ct));
        staff.MapPost("/handoffs/{id}/end", (string id, EndRequest body, HttpContext http, HandoffService handoffs, StaffAuditLog audit, CancellationToken ct) =>
            ActAsync(http, audit, "ended", id, body.Outcome, () => handoffs.EndAsync(id, Me(http), body.Outcome, ct), ct));
        staff.MapPost("/handoffs/{id}/typing", (string id, HttpContext http, HandoffService handoffs, StaffAuditLog audit, CancellationToken ct) =>
            ActAsync(http, audit, null, id, null, () => handoffs.TypingAsync(id, Me(http), ct), ct));

        staff.MapGet("/conversations", async (ConversationTranscriptStore transcripts, CancellationToken ct) =>
            Results.Ok((await transcripts.ListRecentConversationsAsync(50, ct)).Select(c => new { conversationId = c.ConversationId, channel = c.ChannelId, patientName = c.PatientName, patientUserId = c.PatientUserId, firstAt = c.FirstAt, lastAt = c.LastAt })));
        staff.MapPost("/conversations/{conversationId}/pull", (string conversationId, HttpContext http, HandoffService handoffs, StaffAuditLog audit, CancellationToken ct) =>
            ActAsync(http, audit, "pulled", null, conversationId, () => handoffs.PullAsync(conversationId, Me(http), ct), ct));

        staff.MapGet("/follow-ups", ListFollowUpsAsync);
        staff.MapPost("/follow-ups/{id}/answer", AnswerFollowUpAsync);

        staff.MapGet("/audit", async (string? handoffId, StaffAuditLog audit, CancellationToken ct) => Results.Ok(await audit.ListAsync(handoffId, 200, ct)))
            .RequireAuthorization(StaffConsoleExtensions.SupervisorPolicy);
        staff.MapGet("/users", async (StaffAccountStore accounts, CancellationToken ct) => Results.Ok(await accounts.ListAsync(ct)))
            .RequireAuthorization(StaffConsoleExtensions.ManageUsersPolicy);
        staff.MapPost("/users", CreateUserAsync).RequireAuthorization(StaffConsoleExtensions.ManageUsersPolicy);
        staff.MapStaffCasesApi();
        return endpoints;
    }

    internal static StaffMember Me(HttpContext http) => StaffMember.FromPrincipal(http.User) ?? throw new InvalidOperationException("The endpoint requires a signed-in staff member.");

    private static async Task<IResult> SignInAsync(SignInRequest? body, HttpContext http, StaffAccountStore accounts, IAntiforgery antiforgery, IOptions<StaffOptions> options, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(body?.UserName) || string.IsNullOrEmpty(body.Password))
        {
            return Results.Problem(detail: "userName and password are required.", statusCode: StatusCodes.Status400BadRequest);
        }

        var result = await accounts.SignInAsync(body.UserName, body.Password, ct);
        switch (result.Outcome)
        {
            case StaffSignInOutcome.LockedOut:
                return Results.Problem(detail: $"Too many failed sign-ins: the account is locked for {options.Value.LockoutMinutes} minutes.", statusCode: StatusCodes.Status401Unauthorized);
            case StaffSignInOutcome.Failed:
                return Results.Problem(detail: "Wrong user name or password.", statusCode: StatusCodes.Status401Unauthorized);
        }

        var principal = StaffConsoleExtensions.PrincipalFor(result.Account!);
        await http.SignInAsync(StaffConsoleExtensions.CookieScheme, principal);
        http.User = principal;
        var member = result.Account!.ToMember();
        return Results.Ok(new { id = member.Id, displayName = member.DisplayName, role = member.Role, departments = member.Departments, csrfToken = antiforgery.GetAndStoreTokens(http).RequestToken });
    }

    internal static async ValueTask<object?> RequireCsrfTokenOnPostsAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (HttpMethods.IsPost(http.Request.Method))
        {
            var antiforgery = http.RequestServices.GetRequiredService<IAntiforgery>();
            if (!await antiforgery.IsRequestValidAsync(http))
            {
                return Results.Problem(detail: $"Missing or invalid anti-forgery token: send the csrfToken from sign-in or /api/staff/me in the {CsrfHeader} header.", statusCode: StatusCodes.Status400BadRequest);
            }
        }

        return await next(context);
    }

    private static async Task<IResult> QueueAsync(string? department, HttpContext http, IHandoffQueue queue, IOptions<HandoffOptions> options, StaffPresence presence, TimeProvider time, CancellationToken ct)
    {
        var me = Me(http);
        var now = time.GetUtcNow();
        var departments = options.Value.Departments.Where(d => (department is null || string.Equals(d.Key, department, StringComparison.OrdinalIgnoreCase)) && me.CoversDepartment(d.Key)).ToList();
        if (department is not null && departments.Count == 0)
        {
            return options.Value.Departments.Any(d => string.Equals(d.Key, department, StringComparison.OrdinalIgnoreCase))
                ? Results.Problem(detail: "You do not take that department's chats.", statusCode: StatusCodes.Status403Forbidden)
                : Results.Problem(detail: "Unknown department.", statusCode: StatusCodes.Status400BadRequest);
        }

        var result = new List<object>();
        foreach (var d in departments)
        {
            var open = await queue.ListOpenAsync(d.Key, ct);
            var waiting = open.Where(h => h.Status == HandoffStatus.Waiting).ToList();
            var waitingItems = new List<object>();
            for (var i = 0; i < waiting.Count; i++)
            {
                waitingItems.Add(StaffApiModels.Handoff(waiting[i], options.Value, now, i + 1, await queue.EstimateWaitAsync(d.Key, i + 1, ct)));
            }

            result.Add(new
            {
                key = d.Key,
                teamName = d.TeamName,
                staffOnline = presence.IsAvailable(d.Key),
                waiting = waitingItems,
                active = open.Where(h => h.Status == HandoffStatus.Active).Select(h => StaffApiModels.Handoff(h, options.Value, now)),
            });
        }

        // Red flags and other urgent chats waiting in any queue this staff member may take, for the top of the console.
        var urgent = (await queue.ListOpenAsync(null, ct))
            .Where(h => h.Status == HandoffStatus.Waiting && h.Priority == HandoffPriority.Urgent && me.Covers(h))
            .Select(h => StaffApiModels.Handoff(h, options.Value, now));
        return Results.Ok(new { now, urgent, departments = result });
    }

    private static async Task<IResult> GetHandoffAsync(
        string id,
        HttpContext http,
        IHandoffQueue queue,
        ConversationTranscriptStore transcripts,
        IFollowUpQueue followUps,
        StaffAuditLog audit,
        IOptions<HandoffOptions> options,
        IOptions<TranscriptOptions> transcriptOptions,
        TimeProvider time,
        CancellationToken ct)
    {
        var me = Me(http);
        var handoff = await queue.GetAsync(id, ct);
        if (handoff is null)
        {
            return Results.Problem(detail: "No handoff has that id.", statusCode: StatusCodes.Status404NotFound);
        }

        if (!me.Covers(handoff) && handoff.AcceptedBy != me.Id)
        {
            return Results.Problem(detail: "This chat is not in one of your queues.", statusCode: StatusCodes.Status403Forbidden);
        }

        await audit.RecordAsync(me, "opened", handoff.Id, handoff.ConversationId, null, ct);
        var openFollowUps = (await followUps.ListAsync(FollowUpStatus.Open, ct)).Where(f => f.PatientUserId == handoff.PatientUserId);
        var earlier = (await queue.ListByConversationAsync(handoff.ConversationId, ct)).Where(h => h.Id != handoff.Id);
        return Results.Ok(new
        {
            handoff = StaffApiModels.Handoff(handoff, options.Value, time.GetUtcNow()),
            transcript = (await transcripts.GetAsync(handoff.ConversationId, transcriptOptions.Value.ContextMessageLimit, ct)).Select(StaffApiModels.Transcript),
            messages = (await queue.GetMessagesAsync(id, ct)).Select(StaffApiModels.Message),
            followUps = openFollowUps.Select(StaffApiModels.FollowUp),
            earlierHandoffs = earlier.Select(h => new { id = h.Id, status = h.Status.ToString(), department = h.Department, createdAt = h.CreatedAt, outcome = h.Outcome }),
        });
    }

    private static async Task<IResult> ActAsync(HttpContext http, StaffAuditLog audit, string? action, string? handoffId, string? detailOrConversation, Func<Task<HandoffActionResult>> act, CancellationToken ct)
    {
        var result = await act();
        if (result.Status == HandoffActionStatus.Ok && action is not null)
        {
            var conversationId = result.Handoff?.ConversationId;
            await audit.RecordAsync(Me(http), action, result.Handoff?.Id ?? handoffId, conversationId, action is "transferred" or "ended" ? detailOrConversation : null, ct);
        }

        return result.Status switch
        {
            HandoffActionStatus.Ok => Results.Ok(new { id = result.Handoff!.Id, status = result.Handoff.Status.ToString(), department = result.Handoff.Department, delivered = result.Delivered }),
            HandoffActionStatus.NotFound => Results.Problem(detail: result.Reason, statusCode: StatusCodes.Status404NotFound),
            HandoffActionStatus.Conflict => Results.Problem(detail: result.Reason, statusCode: StatusCodes.Status409Conflict),
            HandoffActionStatus.Forbidden => Results.Problem(detail: result.Reason, statusCode: StatusCodes.Status403Forbidden),
            _ => Results.Problem(detail: result.Reason, statusCode: StatusCodes.Status400BadRequest),
        };
    }

    private static async Task<IResult> ListFollowUpsAsync(string? status, IFollowUpQueue followUps, CancellationToken ct)
    {
        FollowUpStatus? filter = FollowUpStatus.Open;
        if (string.Equals(status, "all", StringComparison.OrdinalIgnoreCase))
        {
            filter = null;
        }
        else if (status is not null)
        {
            if (!Enum.TryParse<FollowUpStatus>(status, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed))
            {
                return Results.Problem(detail: "status must be open, answered, needscallback or all.", statusCode: StatusCodes.Status400BadRequest);
            }

            filter = parsed;
        }

        return Results.Ok((await followUps.ListAsync(filter, ct)).Select(StaffApiModels.FollowUp));
    }

    private static async Task<IResult> AnswerFollowUpAsync(string id, AnswerRequest body, HttpContext http, FollowUpAnswering answering, StaffAuditLog audit, CancellationToken ct)
    {
        var me = Me(http);
        var result = await answering.AnswerAsync(id, body.Answer ?? string.Empty, me.DisplayName, body.AddToKnowledgeBase, ct);
        if (result.Outcome is FollowUpAnswerOutcome.Delivered or FollowUpAnswerOutcome.NeedsCallback)
        {
            await audit.RecordAsync(me, "answered-follow-up", null, null, id, ct);
        }

        return result.Outcome switch
        {
            FollowUpAnswerOutcome.Delivered or FollowUpAnswerOutcome.NeedsCallback => Results.Ok(new { id, outcome = result.Outcome.ToString(), addedToKnowledgeBase = body.AddToKnowledgeBase }),
            FollowUpAnswerOutcome.NotFound => Results.Problem(detail: "No follow-up has that id.", statusCode: StatusCodes.Status404NotFound),
            FollowUpAnswerOutcome.AlreadyAnswered => Results.Problem(detail: "This follow-up has already been answered.", statusCode: StatusCodes.Status409Conflict),
            _ => Results.Problem(detail: result.Error, statusCode: StatusCodes.Status400BadRequest),
        };
    }

    private static async Task<IResult> CreateUserAsync(CreateUserRequest body, StaffAccountStore accounts, HttpContext http, StaffAuditLog audit, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(body.UserName) || !StaffRoles.IsKnown(body.Role) || body.Password is not { Length: >= 12 })
        {
            return Results.Problem(detail: "userName, a role of agent, supervisor or admin, and a password of at least 12 characters are required.", statusCode: StatusCodes.Status400BadRequest);
        }

        var account = await accounts.CreateAsync(body.UserName, body.DisplayName ?? body.UserName, body.Role!, body.Departments ?? [], body.Password, ct);
        if (account is null)
        {
            return Results.Problem(detail: "That user name is taken.", statusCode: StatusCodes.Status409Conflict);
        }

        await audit.RecordAsync(Me(http), "created-user", null, null, account.Id, ct);
        return Results.Created($"/api/staff/users/{account.Id}", account);
    }

    internal static Claim[] Claims(StaffAccount account) =>
    [
        new(ClaimTypes.NameIdentifier, account.Id),
        new(ClaimTypes.Name, account.UserName),
        new("name", account.DisplayName),
        new(ClaimTypes.Role, account.Role),
        new(StaffMember.DepartmentsClaim, string.Join(',', account.Departments)),
    ];
}
