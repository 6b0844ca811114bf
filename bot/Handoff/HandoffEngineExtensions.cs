using ClinicBot.Bot.Storage.Sqlite;
using ClinicBot.Bot.Transcripts;
using ClinicBot.Dialogs.Handoff;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ClinicBot.Bot.Handoff;

public static class HandoffEngineExtensions
{
    /// <summary>
    /// Conversation transcripts (every message, both directions, kept <c>Transcripts:RetentionDays</c>) and the handoff
    /// engine: the relay of patient messages to staff, staff actions (<see cref="HandoffService"/>) and the wait timeout.
    /// The queue itself is registered with storage (SQLite, or memory for <c>Storage:Provider=Memory</c>).
    /// </summary>
    public static IHostApplicationBuilder AddHandoffEngine(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<TranscriptOptions>()
            .BindConfiguration(TranscriptOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        services.AddSqliteMigration(ConversationTranscriptStore.Schema);
        services.TryAddSingleton<ConversationTranscriptStore>();
        services.AddSingleton<TranscriptMiddleware>();
        services.AddSingleton<Microsoft.Bot.Builder.IMiddleware>(sp => sp.GetRequiredService<TranscriptMiddleware>());
        services.AddSingleton<IHandoffTranscriptSource, StoredHandoffTranscriptSource>();
        services.AddHostedService<TranscriptPurgeService>();

        services.TryAddSingleton<IStaffConsoleNotifier, NullStaffConsoleNotifier>();

        // New chats are announced to the console as they are queued: decorate the store registered by storage.
        var store = services.LastOrDefault(d => d.ServiceType == typeof(IHandoffQueue))
            ?? throw new InvalidOperationException("AddClinicBotStorage must be called before AddHandoffEngine.");
        services.Remove(store);
        services.AddSingleton<IHandoffQueue>(sp => new NotifyingHandoffQueue(
            (IHandoffQueue)(store.ImplementationFactory?.Invoke(sp) ?? store.ImplementationInstance ?? ActivatorUtilities.CreateInstance(sp, store.ImplementationType!)),
            sp.GetRequiredService<IStaffConsoleNotifier>(),
            sp.GetRequiredService<ILogger<NotifyingHandoffQueue>>()));
        services.AddSingleton<IHandoffRelay, HandoffRelay>();
        services.AddSingleton<HandoffService>();
        services.AddSingleton<HandoffTimeoutService>();
        services.AddHostedService(sp => sp.GetRequiredService<HandoffTimeoutService>());
        return builder;
    }
}
