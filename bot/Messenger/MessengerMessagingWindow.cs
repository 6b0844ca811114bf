namespace ClinicBot.Bot.Messenger;

/// <summary>How (and whether) a message may go out under Messenger's messaging windows.</summary>
/// <param name="Allowed">False: the message must not be sent.</param>
/// <param name="MessagingType"><c>RESPONSE</c> or <c>MESSAGE_TAG</c>.</param>
/// <param name="Tag"><c>HUMAN_AGENT</c> with <c>MESSAGE_TAG</c>; otherwise null.</param>
/// <param name="Reason">Why it may not be sent (ids only, for logs).</param>
public sealed record MessengerDelivery(bool Allowed, string? MessagingType, string? Tag, string? Reason)
{
    public const string Response = "RESPONSE";
    public const string MessageTag = "MESSAGE_TAG";
    public const string HumanAgentTag = "HUMAN_AGENT";
}

/// <summary>
/// Messenger's rules for a page writing to a person: anything within 24 hours of the person's last message goes out as
/// <c>RESPONSE</c>. After that only a human may write, with the <c>HUMAN_AGENT</c> tag, up to 7 days after the
/// person's last message. The bot's own (automated) messages never use that tag. Nothing goes out later, or to
/// someone who never wrote to the page.
/// </summary>
public static class MessengerMessagingWindow
{
    public static readonly TimeSpan StandardWindow = TimeSpan.FromHours(24);

    public static readonly TimeSpan HumanAgentWindow = TimeSpan.FromDays(7);

    public static MessengerDelivery Decide(DateTimeOffset? lastInbound, DateTimeOffset now, bool fromStaff)
    {
        if (lastInbound is null)
        {
            return new(false, null, null, "the person has never written to the page");
        }

        var age = now - lastInbound.Value;
        if (age <= StandardWindow)
        {
            return new(true, MessengerDelivery.Response, null, null);
        }

        if (!fromStaff)
        {
            return new(false, null, null, "more than 24 hours since the person's last message, and automated messages may not use the HUMAN_AGENT tag");
        }

        return age <= HumanAgentWindow
            ? new(true, MessengerDelivery.MessageTag, MessengerDelivery.HumanAgentTag, null)
            : new(false, null, null, "more than 7 days since the person's last message, past the HUMAN_AGENT window");
    }
}
