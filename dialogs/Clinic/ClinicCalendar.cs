using System.Globalization;
using Microsoft.Extensions.Options;

namespace ClinicBot.Dialogs.Clinic;

/// <summary>Answers "are we open?", "when do we next open?" and "by when do we promise an answer?".</summary>
public sealed class ClinicCalendar
{
    private readonly TimeProvider _time;
    private readonly TimeZoneInfo _zone;
    private readonly Dictionary<DayOfWeek, OpeningHours> _hours;
    private readonly int _followUpBusinessDays;

    public ClinicCalendar(IOptions<ClinicHoursOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        _time = time;
        ClinicHoursOptions.TryFindTimeZone(options.Value.TimeZone, out _zone);
        _hours = options.Value.Hours
            .Select(kv => (kv.Key, Ok: OpeningHours.TryParse(kv.Value, out var h), h))
            .Where(x => x.Ok)
            .ToDictionary(x => x.Key, x => x.h);
        _followUpBusinessDays = options.Value.FollowUpBusinessDays;
    }

    public DateTimeOffset Now => _time.GetUtcNow();

    public bool IsOpen(DateTimeOffset? at = null)
    {
        var local = ToLocal(at ?? Now);
        return _hours.TryGetValue(local.DayOfWeek, out var h) && TimeOnly.FromDateTime(local.DateTime) is var t && t >= h.Opens && t < h.Closes;
    }

    /// <summary>The next moment the clinic opens after <paramref name="at"/> (or now), in UTC.</summary>
    public DateTimeOffset NextOpening(DateTimeOffset? at = null)
    {
        var local = ToLocal(at ?? Now);
        for (var day = 0; day <= 7; day++)
        {
            var date = DateOnly.FromDateTime(local.DateTime).AddDays(day);
            if (_hours.TryGetValue(date.DayOfWeek, out var h))
            {
                var opening = AtLocal(date, h.Opens);
                if (opening > (at ?? Now))
                {
                    return opening;
                }
            }
        }

        return (at ?? Now).AddDays(1);
    }

    /// <summary>
    /// When a question asked at <paramref name="askedAt"/> will be answered: closing time of the Nth business
    /// day after today (today counts as day 0 only when <c>FollowUpBusinessDays</c> is 0).
    /// </summary>
    public DateTimeOffset FollowUpDueBy(DateTimeOffset askedAt)
    {
        var local = ToLocal(askedAt);
        var date = DateOnly.FromDateTime(local.DateTime);
        var remaining = _followUpBusinessDays;
        for (var guard = 0; guard < 60; guard++)
        {
            if (_hours.TryGetValue(date.DayOfWeek, out var h))
            {
                var closes = AtLocal(date, h.Closes);
                if (remaining == 0 && closes > askedAt)
                {
                    return closes;
                }

                if (date > DateOnly.FromDateTime(local.DateTime))
                {
                    remaining--;
                    if (remaining <= 0)
                    {
                        return closes;
                    }
                }
            }

            date = date.AddDays(1);
        }

        return askedAt.AddDays(_followUpBusinessDays + 1);
    }

    /// <summary>"today at 5:00 PM", "tomorrow at 7:00 PM", "Monday at 7:00 AM" in the clinic's time zone.</summary>
    public string Describe(DateTimeOffset moment)
    {
        var local = ToLocal(moment);
        var today = DateOnly.FromDateTime(ToLocal(Now).DateTime);
        var date = DateOnly.FromDateTime(local.DateTime);
        var time = local.ToString("h:mm tt", CultureInfo.GetCultureInfo("en-US"));
        var day = date == today ? "today" : date == today.AddDays(1) ? "tomorrow" : local.ToString("dddd, MMMM d", CultureInfo.GetCultureInfo("en-US"));
        return $"{day} at {time}";
    }

    public DateTimeOffset ToLocal(DateTimeOffset moment) => TimeZoneInfo.ConvertTime(moment, _zone);

    private DateTimeOffset AtLocal(DateOnly date, TimeOnly time)
    {
        var unspecified = date.ToDateTime(time, DateTimeKind.Unspecified);
        return new DateTimeOffset(unspecified, _zone.GetUtcOffset(unspecified)).ToUniversalTime();
    }
}
