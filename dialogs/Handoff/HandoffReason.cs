namespace ClinicBot.Dialogs.Handoff;

public enum HandoffReason
{
    PatientAsked,
    DepartmentRequest,
    RepeatedMisunderstanding,
    Frustration,
    Complaint,
    Abuse,
    Safety,
    StaffPulled,
}

/// <summary>Queue order: higher first.</summary>
public enum HandoffPriority
{
    Normal = 0,
    High = 1,
    Urgent = 2,
}
