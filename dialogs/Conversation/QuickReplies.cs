using Microsoft.Bot.Builder;
using Microsoft.Bot.Schema;

namespace ClinicBot.Dialogs.Conversation;

/// <summary>Messages that offer choices as quick replies (suggested actions) on channels that show them.</summary>
public static class QuickReplies
{
    public static Activity Message(string text, IEnumerable<string> choices) =>
        (Activity)MessageFactory.SuggestedActions(choices, text, ssml: null, inputHint: InputHints.ExpectingInput, toList: null);
}
