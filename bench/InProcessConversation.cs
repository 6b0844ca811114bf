using ClinicBot.Bot.Handoff;
using ClinicBot.Bot.Safety;
using ClinicBot.Bot.Storage.Memory;
using ClinicBot.Bot.Storage.Sqlite;
using ClinicBot.Dialogs;
using ClinicBot.Dialogs.Appointments;
using ClinicBot.Dialogs.Bots;
using ClinicBot.Dialogs.Cases;
using ClinicBot.Dialogs.Clinic;
using ClinicBot.Dialogs.FollowUps;
using ClinicBot.Dialogs.Handoff;
using ClinicBot.Dialogs.Knowledge;
using ClinicBot.Dialogs.Middleware;
using ClinicBot.Dialogs.Privacy;
using ClinicBot.Dialogs.Safety;
using ClinicBot.Dialogs.Sentiment;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Builder.Adapters;
using Microsoft.Extensions.DependencyInjection;

namespace ClinicBot.Bench;

/// <summary>
/// The conversation layer (dialogs, middleware, ClinicBotHandler) wired as the host wires it but without a host, on
/// in-memory and SQLite stores, for Bot Builder's TestAdapter. The dialog micro-benchmark and the tests' BotHarness
/// both run on this, so a dependency the conversation layer gains is registered here once and neither falls behind.
/// </summary>
public static class InProcessConversation
{
    /// <summary>The tables the SQLite stores registered by <see cref="AddClinicBotConversationInProcess"/> need.</summary>
    public static SqliteMigration[] Migrations =>
    [
        SqliteHandoffQueue.Schema,
        SqliteHandoffQueue.MessagesSchema,
        SqliteHandoffQueue.EngineSchema,
        SqliteFollowUpQueue.Schema,
        SqliteAppointments.Schema,
        SqliteDataDeletionRequests.Schema,
    ];

    /// <summary>
    /// Registers the conversation layer with default options, <paramref name="storage"/> for bot state,
    /// <paramref name="database"/> (opened with <see cref="Migrations"/>) for the SQLite stores, and
    /// <paramref name="recognizer"/> for questions and <paramref name="redFlags"/> for the safety check. Register a <see cref="TimeProvider"/> first to control the clock.
    /// </summary>
    public static IServiceCollection AddClinicBotConversationInProcess(this IServiceCollection services, SqliteDatabase database, IStorage storage, IQuestionRecognizer recognizer, IRedFlagModel redFlags)
    {
        services.AddLogging();
        services.AddOptions<ConversationOptions>();
        services.AddOptions<SafetyOptions>();
        services.AddOptions<ClinicHoursOptions>();
        services.AddOptions<HandoffOptions>();
        services.AddOptions<SentimentOptions>();
        services.AddSingleton<IStorage>(storage);
        services.AddSingleton(database);
        services.AddSingleton<IFollowUpQueue, InMemoryFollowUpQueue>();
        services.AddSingleton<IDataDeletionRequests, SqliteDataDeletionRequests>();
        services.AddSingleton<IActivityDeduplicator, InMemoryActivityDeduplicator>();
        services.AddSingleton<IHandoffQueue, SqliteHandoffQueue>();
        services.AddSingleton<IStaffConsoleNotifier, NullStaffConsoleNotifier>();
        services.AddSingleton<IHandoffRelay, HandoffRelay>();
        services.AddSingleton<StaffPresence>();
        services.AddSingleton<IStaffPresence>(sp => sp.GetRequiredService<StaffPresence>());
        services.AddSingleton<IQuestionRecognizer>(recognizer);
        services.AddSingleton<ICaseStore, InMemoryCaseStore>();
        services.AddSingleton<IAppointments, SqliteAppointments>();
        services.AddSingleton<MedicalAdviceDetector>();
        services.AddSingleton(redFlags);
        services.AddOptions<OnCallOptions>();
        services.AddSingleton<IOnCallAlerts, EmailOnCallAlerts>();
        services.AddClinicBotDialogs();
        return services;
    }

    /// <summary>A TestAdapter for one conversation, with the host's middleware and turn-error policy.</summary>
    public static TestAdapter CreateAdapter(this IServiceProvider services, string conversationId, string userId, string channelId)
    {
        var adapter = new TestAdapter(TestAdapter.CreateConversation(conversationId, userId, "bot"));
        adapter.Conversation.ChannelId = channelId;
        adapter.OnTurnError = services.GetRequiredService<TurnErrorHandler>().HandleAsync;
        foreach (var middleware in services.GetServices<IMiddleware>())
        {
            adapter.Use(middleware);
        }

        return adapter;
    }
}
