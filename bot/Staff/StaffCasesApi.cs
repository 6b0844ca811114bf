using ClinicBot.Bot.Proactive;
using ClinicBot.Dialogs.Cases;

namespace ClinicBot.Bot.Staff;

/// <summary>
/// Complaint cases in the staff API: read, note, change status, approve a remedy (supervisors only; the
/// patient hears about it only then), and draft the public reply to a page comment.
/// </summary>
public static class StaffCasesApi
{
    public const int MaxTextLength = 2000;

    public static RouteGroupBuilder MapStaffCasesApi(this RouteGroupBuilder staff)
    {
        ArgumentNullException.ThrowIfNull(staff);
        staff.MapGet("/cases", async (CaseStatus? status, ICaseStore cases, CancellationToken ct) => Results.Ok(await cases.ListAsync(status, ct)));
        staff.MapGet("/cases/{id}", GetAsync);
        staff.MapPost("/cases/{id}/notes", (string id, TextRequest body, HttpContext http, ICaseStore cases, StaffAuditLog audit, TimeProvider time, CancellationToken ct) =>
            ChangeAsync(id, body.Text, http, cases, audit, "noted-case", (c, me, text) => c.StaffNotes.Add(new CaseNote(time.GetUtcNow(), me.DisplayName, text)), ct));
        staff.MapPost("/cases/{id}/public-reply", (string id, TextRequest body, HttpContext http, ICaseStore cases, StaffAuditLog audit, CancellationToken ct) =>
            ChangeAsync(id, body.Text, http, cases, audit, "drafted-public-reply", (c, _, text) => c.DraftPublicReply = text, ct));
        staff.MapPost("/cases/{id}/status", SetStatusAsync);
        staff.MapPost("/cases/{id}/remedy", ApproveRemedyAsync).RequireAuthorization(StaffConsoleExtensions.SupervisorPolicy);
        return staff;
    }

    private static async Task<IResult> GetAsync(string id, HttpContext http, ICaseStore cases, StaffAuditLog audit, CancellationToken ct)
    {
        var complaint = await cases.GetAsync(id, ct);
        if (complaint is null)
        {
            return NotFound();
        }

        await audit.RecordAsync(StaffApi.Me(http), "viewed-case", null, null, complaint.Reference, ct);
        return Results.Ok(complaint);
    }

    private static async Task<IResult> SetStatusAsync(string id, StatusRequest body, HttpContext http, ICaseStore cases, StaffAuditLog audit, CancellationToken ct)
    {
        if (!Enum.TryParse<CaseStatus>(body.Status, ignoreCase: true, out var status))
        {
            return Results.Problem(detail: $"status must be one of {string.Join(", ", Enum.GetNames<CaseStatus>())}.", statusCode: StatusCodes.Status400BadRequest);
        }

        return await ChangeAsync(id, status.ToString(), http, cases, audit, "changed-case-status", (c, _, _) => c.Status = status, ct);
    }

    private static async Task<IResult> ApproveRemedyAsync(string id, TextRequest body, HttpContext http, ICaseStore cases, StaffAuditLog audit, ConversationNotifier notifier, TimeProvider time, CancellationToken ct)
    {
        var result = await ChangeAsync(id, body.Text, http, cases, audit, "approved-remedy", (c, me, text) =>
        {
            c.ApprovedRemedy = text;
            c.StaffNotes.Add(new CaseNote(time.GetUtcNow(), me.DisplayName, "Approved remedy: " + text));
        }, ct);
        if (result is not IStatusCodeHttpResult { StatusCode: StatusCodes.Status200OK })
        {
            return result;
        }

        var complaint = (await cases.GetAsync(id, ct))!;
        var delivered = complaint.ReplyAddress is not null
            && await notifier.NotifyAsync(complaint.ReplyAddress, CaseEvents.RemedyApproved, new RemedyApprovedValue(complaint.Reference, complaint.ApprovedRemedy!), ct);
        return Results.Ok(new { complaint.Reference, remedy = complaint.ApprovedRemedy, deliveredToPatient = delivered });
    }

    private static async Task<IResult> ChangeAsync(string id, string? text, HttpContext http, ICaseStore cases, StaffAuditLog audit, string action, Action<ComplaintCase, StaffMember, string> change, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Length > MaxTextLength)
        {
            return Results.Problem(detail: $"text is required and must be at most {MaxTextLength:N0} characters.", statusCode: StatusCodes.Status400BadRequest);
        }

        var complaint = await cases.GetAsync(id, ct);
        if (complaint is null)
        {
            return NotFound();
        }

        var me = StaffApi.Me(http);
        change(complaint, me, text.Trim());
        await cases.UpdateAsync(complaint, ct);
        await audit.RecordAsync(me, action, null, null, complaint.Reference, ct);
        return Results.Ok(complaint);
    }

    private static IResult NotFound() => Results.Problem(detail: "No case has that id or reference.", statusCode: StatusCodes.Status404NotFound);
}

public sealed record StatusRequest(string? Status);
