namespace ClinicBot.Dialogs.Framework;

/// <summary>State of the dialog stack after a turn has been processed.</summary>
public enum DialogTurnStatus
{
    /// <summary>Nothing was on the stack (no dialog was active).</summary>
    Empty,

    /// <summary>A dialog is active and waiting for the user's next message.</summary>
    Waiting,

    /// <summary>The last dialog on the stack completed; see <see cref="DialogTurnResult.Result"/>.</summary>
    Complete,

    /// <summary>The stack was cancelled (for example by <see cref="DialogContext.CancelAllDialogsAsync"/>).</summary>
    Cancelled,
}
