namespace ClinicBot.Dialogs.Framework;

/// <summary>Why a dialog is being resumed or ended.</summary>
public enum DialogReason
{
    /// <summary>A dialog was started with <see cref="DialogContext.BeginDialogAsync"/>.</summary>
    BeginCalled,

    /// <summary>A dialog is being continued with <see cref="DialogContext.ContinueDialogAsync"/>.</summary>
    ContinueCalled,

    /// <summary>A dialog ended normally via <see cref="DialogContext.EndDialogAsync"/>.</summary>
    EndCalled,

    /// <summary>A dialog is ending because it is being replaced by <see cref="DialogContext.ReplaceDialogAsync"/>.</summary>
    ReplaceCalled,

    /// <summary>A dialog was cancelled by <see cref="DialogContext.CancelAllDialogsAsync"/>.</summary>
    CancelCalled,

    /// <summary>A waterfall step moved on with <see cref="WaterfallStepContext.NextAsync"/>.</summary>
    NextCalled,
}
