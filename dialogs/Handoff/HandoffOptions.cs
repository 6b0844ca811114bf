using System.ComponentModel.DataAnnotations;

namespace ClinicBot.Dialogs.Handoff;

/// <summary>Who can take a chat and how long a patient may wait (section <c>Handoff</c>).</summary>
public sealed class HandoffOptions : IValidatableObject
{
    public const string SectionName = "Handoff";

    /// <summary>The team that takes requests no other department claims.</summary>
    [Required]
    public string DefaultDepartment { get; set; } = "front-desk";

    /// <summary>A waiting chat older than this escalates to a supervisor or becomes a follow-up.</summary>
    [Range(1, 240)]
    public int MaxWaitMinutes { get; set; } = 10;

    /// <summary>Assumed minutes per chat ahead in the queue until there is history to estimate from.</summary>
    [Range(1, 60)]
    public int DefaultMinutesPerChat { get; set; } = 4;

    /// <summary>How many of a department's most recently accepted chats the wait estimate takes the median of.</summary>
    [Range(1, 500)]
    public int WaitEstimateSampleSize { get; set; } = 20;

    /// <summary>
    /// <c>BuiltIn</c> (default): chats go to ClinicBot's own queue and staff console. <c>ExternalHub</c>: the bot emits
    /// the Bot Framework <c>handoff.initiate</c> event for an external agent hub and follows its <c>handoff.status</c> events.
    /// </summary>
    public HandoffMode Mode { get; set; } = HandoffMode.BuiltIn;

    public List<Department> Departments { get; set; } =
    [
        new()
        {
            Key = "front-desk", TeamName = "our front desk team", Role = "front desk coordinator",
            Why = "the best person to help with general questions about the clinic and your visits",
            Keywords = [],
        },
        new()
        {
            Key = "scheduling", TeamName = "our scheduling team", Role = "scheduling coordinator",
            Why = "the best person to book, move or cancel your appointments",
            Keywords = ["reschedule", "re-schedule", "book an appointment", "book a session", "move my appointment", "change my appointment", "cancel my appointment", "schedule an appointment", "make an appointment", "earlier appointment", "next available"],
        },
        new()
        {
            Key = "billing", TeamName = "our billing team", Role = "billing specialist",
            Why = "the best person to help with bills, charges and payments",
            Keywords = ["bill", "billing", "billed", "charged", "charge", "invoice", "statement", "refund", "payment plan", "copay", "co-pay", "balance", "overcharged", "double charge", "charged twice", "collections"],
        },
        new()
        {
            Key = "orthopedics", LiveChat = false, TeamName = "our orthopedic rehabilitation team", Role = "orthopedic rehabilitation specialist",
            Why = "the best person to walk you through rehab after surgery or an orthopedic injury",
            Keywords = ["knee replacement", "hip replacement", "shoulder replacement", "acl", "rotator cuff", "post-surgery", "post surgery", "after surgery", "post-op", "post op", "orthopedic", "orthopaedic", "fracture", "joint replacement"],
        },
        new()
        {
            Key = "pediatrics", LiveChat = false, TeamName = "our pediatric therapy team", Role = "pediatric physical therapist",
            Why = "the best person to talk about therapy for children",
            Keywords = ["my son", "my daughter", "my child", "my kid", "my baby", "my toddler", "pediatric", "paediatric", "children", "kids"],
        },
        new()
        {
            Key = "clinical", LiveChat = false, TeamName = "our clinical team", Role = "physical therapist",
            Why = "the right person for questions about symptoms, exercises and treatment",
            Keywords = [],
        },
        new()
        {
            Key = "supervisor", TeamName = "our clinic supervisor", Role = "clinic supervisor",
            Why = "the person who can look into what happened and put it right",
            Keywords = [],
        },
    ];

    public Department Find(string key) =>
        Departments.FirstOrDefault(d => string.Equals(d.Key, key, StringComparison.OrdinalIgnoreCase))
        ?? Departments.First(d => string.Equals(d.Key, DefaultDepartment, StringComparison.OrdinalIgnoreCase));

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Departments.Count == 0)
        {
            yield return new ValidationResult("Handoff:Departments must list at least one department.", [nameof(Departments)]);
            yield break;
        }

        foreach (var (department, index) in Departments.Select((d, i) => (d, i)))
        {
            if (string.IsNullOrWhiteSpace(department.Key) || string.IsNullOrWhiteSpace(department.TeamName)
                || string.IsNullOrWhiteSpace(department.Role) || string.IsNullOrWhiteSpace(department.Why))
            {
                yield return new ValidationResult($"Handoff:Departments:{index} needs Key, TeamName, Role and Why.", [nameof(Departments)]);
            }
        }

        if (Departments.GroupBy(d => d.Key, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1) is { } duplicate)
        {
            yield return new ValidationResult($"Handoff:Departments has the key '{duplicate.Key}' twice.", [nameof(Departments)]);
        }

        foreach (var required in new[] { DefaultDepartment, "supervisor", "clinical" })
        {
            if (!Departments.Any(d => string.Equals(d.Key, required, StringComparison.OrdinalIgnoreCase)))
            {
                yield return new ValidationResult($"Handoff:Departments must include '{required}'.", [nameof(Departments)]);
            }
        }
    }
}

public enum HandoffMode
{
    BuiltIn,
    ExternalHub,
}

/// <summary>A team that takes chats, and how the bot introduces it.</summary>
public sealed class Department
{
    public string Key { get; set; } = string.Empty;

    /// <summary>"our billing team": who will get back to the patient.</summary>
    public string TeamName { get; set; } = string.Empty;

    /// <summary>"billing specialist": who the patient is connected with.</summary>
    public string Role { get; set; } = string.Empty;

    /// <summary>"the best person to help with bills...": why that person.</summary>
    public string Why { get; set; } = string.Empty;

    /// <summary>
    /// Whether requests routed here go to a live chat (service teams: scheduling, billing) or become a
    /// follow-up the team answers (specialists answering questions). Transfers can reach either.
    /// </summary>
    public bool LiveChat { get; set; } = true;

    /// <summary>Words in a request that mean it belongs to this department.</summary>
    public List<string> Keywords { get; set; } = [];
}
