using System.ComponentModel.DataAnnotations;

namespace ClinicBot.Bot.Safety;

/// <summary>
/// Who is emailed when a red flag arrives and nobody is online in the staff console (section <c>Safety:OnCall</c>).
/// Without <see cref="Email"/> nobody is emailed (the bot logs a warning at start); the alert still waits at the top of
/// the console. The password comes from configuration or Key Vault, never from a file in the repository.
/// </summary>
public sealed class OnCallOptions : IValidatableObject
{
    public const string SectionName = "Safety:OnCall";

    /// <summary>The on-call address (a person or a distribution list). Empty: no email.</summary>
    public string? Email { get; set; }

    /// <summary>The sender address of the alert emails.</summary>
    public string From { get; set; } = "clinicbot@localhost";

    /// <summary>The staff console's public address, for the link in the email (e.g. https://bot.clinic.example/staff).</summary>
    public string? ConsoleUrl { get; set; }

    public string? SmtpHost { get; set; }

    [Range(1, 65535)]
    public int SmtpPort { get; set; } = 587;

    /// <summary>StartTls (default), Tls (implicit, port 465) or None (a local relay only).</summary>
    public string SmtpSecurity { get; set; } = "StartTls";

    public string? SmtpUserName { get; set; }

    public string? SmtpPassword { get; set; }

    /// <summary>Attempts to deliver one alert before giving up (with a growing pause between them).</summary>
    [Range(1, 20)]
    public int MaxAttempts { get; set; } = 5;

    public bool Enabled => !string.IsNullOrWhiteSpace(Email);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Enabled)
        {
            yield break;
        }

        if (string.IsNullOrWhiteSpace(SmtpHost))
        {
            yield return new ValidationResult("Safety:OnCall:SmtpHost is required when Safety:OnCall:Email is set.", [nameof(SmtpHost)]);
        }

        if (!Uri.TryCreate(ConsoleUrl, UriKind.Absolute, out var console) || (console.Scheme != Uri.UriSchemeHttps && console.Scheme != Uri.UriSchemeHttp))
        {
            yield return new ValidationResult("Safety:OnCall:ConsoleUrl must be the staff console's absolute http(s) address when Safety:OnCall:Email is set.", [nameof(ConsoleUrl)]);
        }

        if (SmtpSecurity is not ("StartTls" or "Tls" or "None"))
        {
            yield return new ValidationResult("Safety:OnCall:SmtpSecurity must be StartTls, Tls or None.", [nameof(SmtpSecurity)]);
        }

        if (!MimeKit.MailboxAddress.TryParse(Email, out _) || !MimeKit.MailboxAddress.TryParse(From, out _))
        {
            yield return new ValidationResult("Safety:OnCall:Email and Safety:OnCall:From must be email addresses.", [nameof(Email)]);
        }
    }
}
