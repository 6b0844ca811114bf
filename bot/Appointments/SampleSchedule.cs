using ClinicBot.Dialogs.Appointments;
using ClinicBot.Dialogs.Clinic;

namespace ClinicBot.Bot.Appointments;

/// <summary>
/// The demo clinic's patients and schedule, laid out around the day the store is first created so the
/// demo always has a tomorrow and a today. Fictional people; the dates of birth are what a tester types.
/// </summary>
public static class SampleSchedule
{
    public static IReadOnlyList<PatientRecord> Patients { get; } =
    [
        new("patient-robert", "Robert Chen", new DateOnly(1979, 3, 14)),
        new("patient-42", "Maria Lopez", new DateOnly(1988, 9, 3)),
        new("patient-jordan", "Jordan Lee", new DateOnly(1995, 1, 22)),
    ];

    public static (IReadOnlyList<Appointment> Appointments, IReadOnlyList<OpenSlot> OpenSlots) Build(ClinicCalendar calendar)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        var today = calendar.ToLocal(calendar.Now).Date;
        var offset = calendar.ToLocal(calendar.Now).Offset;
        DateTimeOffset At(int days, int hour, int minute) => new DateTimeOffset(today.AddDays(days).AddHours(hour).AddMinutes(minute), offset).ToUniversalTime();

        Appointment[] appointments =
        [
            new("A-1001", "patient-robert", At(1, 10, 0), "Jamie Park", "Downtown", "follow-up"),
            new("A-1002", "patient-42", At(3, 17, 30), "Alex Kim", "Eastside", "follow-up"),
            new("A-1003", "patient-jordan", At(2, 8, 0), "Jamie Park", "Downtown", "evaluation"),
        ];
        OpenSlot[] slots =
        [
            new(At(0, 14, 30), "Alex Kim", "Downtown"),
            new(At(0, 16, 0), "Jamie Park", "Eastside"),
            new(At(1, 8, 0), "Priya Shah", "Downtown"),
            new(At(1, 15, 0), "Alex Kim", "Eastside"),
        ];
        return (appointments, slots);
    }
}
