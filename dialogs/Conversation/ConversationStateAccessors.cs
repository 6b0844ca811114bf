using ClinicBot.Dialogs.Framework;
using ClinicBot.Dialogs.Patients;
using Microsoft.Bot.Builder;

namespace ClinicBot.Dialogs.Conversation;

/// <summary>The state properties the bot uses, created once.</summary>
public sealed class ConversationStateAccessors(ConversationState conversationState, UserState userState)
{
    public IStatePropertyAccessor<DialogState> DialogState { get; } = conversationState.CreateProperty<DialogState>(nameof(DialogState));

    public IStatePropertyAccessor<ConversationData> Conversation { get; } = conversationState.CreateProperty<ConversationData>(nameof(ConversationData));

    public IStatePropertyAccessor<PatientProfile> Profile { get; } = userState.CreateProperty<PatientProfile>(nameof(PatientProfile));
}
