using ClinicBot.Dialogs.Patients;
using ClinicBot.Dialogs.Phrasing;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Schema;
using Microsoft.Extensions.Options;

namespace ClinicBot.Dialogs.Greeting;

/// <summary>Decides how to greet a patient: by name, as a returning patient, or as a visitor we may ask.</summary>
public sealed class Greeter(IOptions<ConversationOptions> options, TimeProvider time)
{
    public GreetingDecision Greet(PatientProfile profile, string? displayName, NameSource source, string conversationId, bool mayAskForName)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var returning = profile.LastConversationId is not null && profile.LastConversationId != conversationId;
        profile.LastConversationId = conversationId;
        profile.FirstSeen ??= time.GetUtcNow();

        // A name the patient told us wins over a channel display name; a new channel name fills a gap.
        var channelName = PatientNames.FirstNameFromDisplayName(displayName);
        if (channelName is not null && (profile.PreferredName is null || profile.NameSource != NameSource.Patient))
        {
            profile.PreferredName = channelName;
            profile.NameSource = source;
        }

        var clinic = options.Value.ClinicName;
        if (profile.PreferredName is { } name)
        {
            var text = returning ? GreetingPhrases.WelcomeBack(name) : GreetingPhrases.Welcome(name, clinic);
            return new GreetingDecision(WithStarterChoices(text), ShouldAskForName: false);
        }

        // Asking for a name is its own question; the starter choices come after it.
        return mayAskForName && !profile.DeclinedName
            ? new GreetingDecision(MessageFactory.Text(GreetingPhrases.HelloVisitor(clinic)), ShouldAskForName: true)
            : new GreetingDecision(WithStarterChoices(GreetingPhrases.WelcomeAnonymous(clinic)), ShouldAskForName: false);
    }

    private static IMessageActivity WithStarterChoices(string text) =>
        Conversation.QuickReplies.Message(text, GreetingPhrases.StarterChoices);
}

public sealed record GreetingDecision(IMessageActivity Activity, bool ShouldAskForName);
