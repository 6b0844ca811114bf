namespace ClinicBot.Dialogs.Framework;

/// <summary>The persisted dialog stack. Index 0 is the active (top-most) dialog.</summary>
public sealed class DialogState
{
    /// <summary>Gets or sets the stack of dialog instances; index 0 is the active dialog.</summary>
    public List<DialogInstance> DialogStack { get; set; } = [];
}
