using System.ComponentModel.DataAnnotations;

namespace ClinicBot.Dialogs.Clinic;

/// <summary>When the clinic is staffed (section <c>ClinicHours</c>): drives promised answer times and handoff honesty.</summary>
public sealed class ClinicHoursOptions : IValidatableObject
{
    public const string SectionName = "ClinicHours";

    /// <summary>IANA time zone of the clinic, e.g. America/New_York.</summary>
    [Required]
    public string TimeZone { get; set; } = "America/New_York";

    /// <summary>Opening hours per day, e.g. <c>Monday: "07:00-19:00"</c>; a missing day is closed.</summary>
    public Dictionary<DayOfWeek, string> Hours { get; set; } = new()
    {
        [DayOfWeek.Monday] = "07:00-19:00",
        [DayOfWeek.Tuesday] = "07:00-19:00",
        [DayOfWeek.Wednesday] = "07:00-19:00",
        [DayOfWeek.Thursday] = "07:00-19:00",
        [DayOfWeek.Friday] = "07:00-17:00",
        [DayOfWeek.Saturday] = "08:00-12:00",
    };

    /// <summary>Business days staff have to answer a "let me find out" question (1 = by end of the next business day).</summary>
    [Range(0, 10)]
    public int FollowUpBusinessDays { get; set; } = 1;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!TryFindTimeZone(TimeZone, out _))
        {
            yield return new ValidationResult($"ClinicHours:TimeZone '{TimeZone}' is not a known time zone.", [nameof(TimeZone)]);
        }

        foreach (var (day, range) in Hours)
        {
            if (!OpeningHours.TryParse(range, out _))
            {
                yield return new ValidationResult($"ClinicHours:Hours:{day} must look like \"08:00-17:00\" (got '{range}').", [nameof(Hours)]);
            }
        }
    }

    internal static bool TryFindTimeZone(string id, out TimeZoneInfo zone)
    {
        try
        {
            zone = TimeZoneInfo.FindSystemTimeZoneById(id);
            return true;
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            zone = TimeZoneInfo.Utc;
            return false;
        }
    }
}

public readonly record struct OpeningHours(TimeOnly Opens, TimeOnly Closes)
{
    public static bool TryParse(string? text, out OpeningHours hours)
    {
        hours = default;
        var parts = text?.Split('-', StringSplitOptions.TrimEntries);
        if (parts is not { Length: 2 }
            || !TimeOnly.TryParse(parts[0], System.Globalization.CultureInfo.InvariantCulture, out var opens)
            || !TimeOnly.TryParse(parts[1], System.Globalization.CultureInfo.InvariantCulture, out var closes)
            || closes <= opens)
        {
            return false;
        }

        hours = new OpeningHours(opens, closes);
        return true;
    }
}
