using ClinicBot.Dialogs.Framework;
using ClinicBot.Dialogs.Patients;
using ClinicBot.Dialogs.State;
using Microsoft.Bot.Builder;

namespace ClinicBot.Dialogs.Conversation;

/// <summary>The state properties the bot uses, created once.</summary>
public sealed class ConversationStateAccessors(StateStore state)
{
    public IStatePropertyAccessor<DialogState> DialogState { get; } = state.ConversationProperty<DialogState>(nameof(DialogState));

    public IStatePropertyAccessor<ConversationData> Conversation { get; } = state.ConversationProperty<ConversationData>(nameof(ConversationData));

    public IStatePropertyAccessor<PatientProfile> Profile { get; } = state.UserProperty<PatientProfile>(nameof(PatientProfile));
}
