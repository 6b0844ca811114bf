using ClinicBot.Dialogs.Bots;
using ClinicBot.Dialogs.Cases;
using ClinicBot.Dialogs.Clinic;
using ClinicBot.Dialogs.Conversation;
using ClinicBot.Dialogs.Greeting;
using ClinicBot.Dialogs.Handoff;
using ClinicBot.Dialogs.Middleware;
using ClinicBot.Dialogs.Safety;
using ClinicBot.Dialogs.Sentiment;
using ClinicBot.Dialogs.State;
using Microsoft.Bot.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ClinicBot.Dialogs;

public static class DependencyInjection
{
    /// <summary>
    /// The conversation layer: state, middleware, dialogs and the bot. The host binds the options and
    /// provides the stores (IStorage, IActivityDeduplicator, IDataDeletionRequests, IFollowUpQueue, IHandoffQueue, IHandoffRelay, IStaffPresence) and
    /// the recognizer (IQuestionRecognizer, MedicalAdviceDetector), and ICaseStore where cases are created.
    /// </summary>
    public static IServiceCollection AddClinicBotDialogs(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<StateStore>();
        services.AddSingleton<ConversationStateAccessors>();

        // Order matters: a redelivered activity stops first (IActivityDeduplicator comes from the host), then the gate serializes each conversation's turns before anything reads state.
        services.AddSingleton<IMiddleware, DuplicateDeliveryGuard>();
        services.AddSingleton<ConversationTurnGate>();
        services.AddSingleton<IMiddleware>(sp => sp.GetRequiredService<ConversationTurnGate>());
        services.AddSingleton<IMiddleware, MessageLengthGuard>();
        services.AddSingleton<IMiddleware, AttachmentGuard>();

        // Acts on Messenger conversations only (Azure's facebook channel and the direct messenger webhook).
        services.AddSingleton<IMiddleware, MessengerLengthLimit>();
        services.TryAddSingleton<ICommentTriage, KeywordCommentTriage>();

        services.AddSingleton<TurnErrorHandler>();
        services.AddSingleton<ClinicCalendar>();
        services.AddSingleton<RedFlagDetector>();
        services.AddSingleton<SafetyResponder>();
        services.TryAddSingleton<ISentimentDetector, LexiconSentimentDetector>();
        services.AddSingleton<MoodResponder>();
        services.AddSingleton<DepartmentRouter>();
        services.TryAddSingleton<IHandoffTranscriptSource, EmptyHandoffTranscriptSource>();
        services.AddSingleton<Greeter>();

        services.AddSingleton<AskNameDialog>();
        services.AddSingleton<FollowUpDialog>();
        services.AddSingleton<HandoffDialog>();
        services.AddSingleton<EscalationDialog>();
        services.AddSingleton<AppointmentDialog>();
        services.AddSingleton<ComplaintDialog>();
        services.AddSingleton<DataDeletionDialog>();
        services.AddSingleton<RequestDialog>();
        services.AddSingleton<MainDialog>();
        services.AddSingleton<IBot, ClinicBotHandler>();
        return services;
    }
}
