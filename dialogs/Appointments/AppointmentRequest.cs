using System.Text.RegularExpressions;

namespace ClinicBot.Dialogs.Appointments;

/// <summary>Recognises messages about the patient's own appointments, and what they want next.</summary>
public static partial class AppointmentRequest
{
    public static bool IsAbout(string? text) => text is not null && About().IsMatch(text);

    /// <summary>After hearing their appointment: see today's openings, talk to scheduling, or nothing more.</summary>
    public static AppointmentNextStep NextStep(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return AppointmentNextStep.Unclear;
        }

        if (Done().IsMatch(text))
        {
            return AppointmentNextStep.Done;
        }

        if (Sooner().IsMatch(text))
        {
            return AppointmentNextStep.SeeOpenings;
        }

        return Scheduling().IsMatch(text) ? AppointmentNextStep.TalkToScheduling : AppointmentNextStep.Unclear;
    }

    [GeneratedRegex(@"\b(next|upcoming)\s+(appointment|appt|session|visit)s?\b|\b(when|what\s+time|what\s+day|which\s+day)\b[^.?!]{0,30}\bmy\s+(appointment|appt|session|visit)s?\b|\b(check|confirm|look\s+up|find)\s+(on\s+)?my\s+(appointment|appt|booking)s?\b|\bdo\s+i\s+have\s+an?\s+(appointment|appt|session)\b|\b(am|was)\s+i\s+(booked|scheduled)\b|\bwaiting\s+room\b|\bi'?m\s+here\s+for\s+my\b|\b(been|sitting|waiting)\b[^.?!]*\b(nobody|no\s+one)\s+(has\s+)?called\b|^\s*my\s+appointments?\s*[.!?]*\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex About();

    [GeneratedRegex(@"\b(today|tonight|this\s+(afternoon|evening|morning)|sooner|earlier|asap|right\s+now|now|see\s+today'?s\s+openings|openings|open\s+slots?|available|availability|be\s+seen)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Sooner();

    [GeneratedRegex(@"\b(reschedul\w*|move|change|cancel|scheduling|someone|somebody|person|human|front\s+desk|call\s+me)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Scheduling();

    [GeneratedRegex(@"^\s*(no|nope|nothing|that'?s\s+(all|it|fine)|all\s+good|ok(ay)?|thanks?|thank\s+you|got\s+it|never\s*mind)\b[\s.!]*(thanks?|thank\s+you)?[\s.!]*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Done();
}

public enum AppointmentNextStep
{
    Unclear,
    SeeOpenings,
    TalkToScheduling,
    Done,
}
