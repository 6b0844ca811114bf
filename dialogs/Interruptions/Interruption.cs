namespace ClinicBot.Dialogs.Interruptions;

/// <summary>Things a patient can say at any point that take priority over whatever step is running.</summary>
public enum Interruption
{
    None,
    Help,
    StartOver,
    TalkToPerson,

    /// <summary>"Delete my data": confirmed, then a request for staff to approve.</summary>
    DeleteMyData,
}
