namespace ClinicBot.Dialogs.Framework;

/// <summary>One step of a <see cref="WaterfallDialog"/>.</summary>
/// <param name="stepContext">The step context.</param>
/// <param name="cancellationToken">Cancellation token.</param>
/// <returns>The turn result (usually from a prompt, <see cref="WaterfallStepContext.NextAsync"/> or <see cref="DialogContext.EndDialogAsync"/>).</returns>
public delegate Task<DialogTurnResult> WaterfallStep(WaterfallStepContext stepContext, CancellationToken cancellationToken);
