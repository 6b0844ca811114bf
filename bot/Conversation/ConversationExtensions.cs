using ClinicBot.Bot.FollowUps;
using ClinicBot.Bot.Handoff;
using ClinicBot.Bot.Proactive;
using ClinicBot.Dialogs;
using ClinicBot.Dialogs.Clinic;
using ClinicBot.Dialogs.Handoff;
using ClinicBot.Dialogs.Safety;
using ClinicBot.Dialogs.Sentiment;

namespace ClinicBot.Bot.Conversation;

public static class ConversationExtensions
{
    /// <summary>The conversation layer with its options bound from configuration and checked at start.</summary>
    public static IHostApplicationBuilder AddClinicBotConversation(this IHostApplicationBuilder builder)
    {
        Bind<ConversationOptions>(builder, ConversationOptions.SectionName);
        Bind<SafetyOptions>(builder, SafetyOptions.SectionName);
        Bind<ClinicHoursOptions>(builder, ClinicHoursOptions.SectionName);
        Bind<HandoffOptions>(builder, HandoffOptions.SectionName);
        Bind<SentimentOptions>(builder, SentimentOptions.SectionName);

        builder.Services.AddSingleton<StaffPresence>();
        builder.Services.AddSingleton<IStaffPresence>(sp => sp.GetRequiredService<StaffPresence>());
        builder.Services.AddSingleton<ConversationNotifier>();
        builder.Services.AddSingleton<FollowUpAnswering>();
        builder.Services.AddClinicBotDialogs();
        return builder;
    }

    private static void Bind<TOptions>(IHostApplicationBuilder builder, string section)
        where TOptions : class =>
        builder.Services.AddOptions<TOptions>()
            .BindConfiguration(section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
}
