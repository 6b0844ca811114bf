namespace ClinicBot.Dialogs.Framework;

/// <summary>Outcome of a dialog operation: the stack status and, when a dialog completed, its result.</summary>
public sealed class DialogTurnResult
{
    /// <summary>Creates a result.</summary>
    /// <param name="status">The stack status.</param>
    /// <param name="result">The value returned by the dialog that completed, if any.</param>
    public DialogTurnResult(DialogTurnStatus status, object? result = null)
    {
        Status = status;
        Result = result;
    }

    /// <summary>Gets the status of the dialog stack.</summary>
    public DialogTurnStatus Status { get; }

    /// <summary>Gets the value returned by the completed dialog (only meaningful when <see cref="Status"/> is Complete).</summary>
    public object? Result { get; }
}
