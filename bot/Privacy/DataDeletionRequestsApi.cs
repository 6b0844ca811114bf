using ClinicBot.Bot.Proactive;
using ClinicBot.Bot.Staff;
using ClinicBot.Dialogs.Phrasing;
using ClinicBot.Dialogs.Privacy;

namespace ClinicBot.Bot.Privacy;

/// <summary>
/// Staff API for patients' "delete my data" requests, supervisors only: <c>GET /api/staff/data-requests</c> and
/// <c>POST /api/staff/data-requests/{id}/approve</c>. Approving is audited, erases the patient's data
/// (<see cref="PatientDataEraser"/>), tells the patient in their conversation and erases that message's trace too.
/// </summary>
public static class DataDeletionRequestsApi
{
    public static IHostApplicationBuilder AddPatientDataRequests(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<PatientDataEraser>();
        return builder;
    }

    public static IEndpointRouteBuilder MapPatientDataRequests(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/staff/data-requests")
            .RequireAuthorization(StaffConsoleExtensions.SupervisorPolicy)
            .AddEndpointFilter(StaffApi.RequireCsrfTokenOnPostsAsync);
        api.MapGet(string.Empty, async (string? status, IDataDeletionRequests requests, CancellationToken ct) =>
        {
            DataDeletionStatus? filter = Enum.TryParse<DataDeletionStatus>(status, ignoreCase: true, out var parsed) ? parsed : status is null ? DataDeletionStatus.Pending : null;
            return Results.Ok((await requests.ListAsync(filter, ct)).Select(r => new
            {
                id = r.Id,
                patientUserId = r.PatientUserId,
                conversationId = r.ConversationId,
                channel = r.ChannelId,
                requestedAt = r.RequestedAt,
                status = r.Status.ToString(),
                approvedBy = r.ApprovedBy,
                completedAt = r.CompletedAt,
            }));
        });
        api.MapPost("/{id}/approve", ApproveAsync);
        return endpoints;
    }

    private static async Task<IResult> ApproveAsync(
        string id,
        HttpContext http,
        IDataDeletionRequests requests,
        PatientDataEraser eraser,
        ConversationNotifier notifier,
        StaffAuditLog audit,
        TimeProvider time,
        ILoggerFactory loggerFactory,
        CancellationToken ct)
    {
        var me = StaffApi.Me(http);
        var request = await requests.GetAsync(id, ct);
        if (request is null)
        {
            return Results.Problem(detail: "No data deletion request has that id.", statusCode: StatusCodes.Status404NotFound);
        }

        if (request.Status != DataDeletionStatus.Pending)
        {
            return Results.Problem(detail: "This request was already carried out.", statusCode: StatusCodes.Status409Conflict);
        }

        await audit.RecordAsync(me, "approved data deletion", null, request.ConversationId, request.Id, ct);
        var conversations = new[] { (request.ChannelId, request.ConversationId) };

        // The patient's data goes first; then the patient is told, and the trace of that message is erased as well
        // (with the built-in Direct Line's log, which had to exist to deliver it).
        var report = await eraser.EraseAsync(request.PatientUserId, conversations, includeDirectLineLog: false, CancellationToken.None);
        var told = await notifier.SendTextAsync(request.ReplyAddress, PrivacyPhrases.DataDeleted, CancellationToken.None);
        await eraser.EraseAsync(request.PatientUserId, conversations, includeDirectLineLog: true, CancellationToken.None);
        await requests.CompleteAsync(request.Id, me.DisplayName, time.GetUtcNow(), CancellationToken.None);

        loggerFactory.CreateLogger(typeof(DataDeletionRequestsApi)).LogInformation(
            "Data deletion request {RequestId} approved by staff {StaffId}: {Conversations} conversations, {Transcript} transcript messages, {FollowUps} follow-ups, {Handoffs} handoffs erased; patient told: {Told}",
            request.Id, me.Id, report.Conversations, report.TranscriptMessages, report.FollowUps, report.Handoffs, told);
        return Results.Ok(new
        {
            id = request.Id,
            status = DataDeletionStatus.Completed.ToString(),
            patientTold = told,
            erased = report,
        });
    }
}
