using System.Threading.Channels;
using ClinicBot.Dialogs.Safety;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace ClinicBot.Bot.Safety;

/// <summary>
/// Emails the on-call address when a red flag arrives and nobody is online. The email holds a link to the alert in the
/// staff console and nothing else: no patient text, no name, no category (an email leaves the clinic's systems).
/// Sending happens in the background with retries, so the patient's reply never waits on a mail server; ids only are
/// logged.
/// </summary>
public sealed class EmailOnCallAlerts(IOptions<OnCallOptions> options, TimeProvider time, ILogger<EmailOnCallAlerts> logger) : BackgroundService, IOnCallAlerts
{
    private readonly Channel<OnCallAlert> _pending = Channel.CreateBounded<OnCallAlert>(new BoundedChannelOptions(1000) { FullMode = BoundedChannelFullMode.DropOldest });

    public void Alert(OnCallAlert alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        if (!options.Value.Enabled)
        {
            logger.LogWarning("Red-flag alert {HandoffId} raised with nobody online and no on-call email configured (Safety:OnCall:Email)", alert.HandoffId);
            return;
        }

        _pending.Writer.TryWrite(alert);
    }

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.Enabled)
        {
            logger.LogWarning("No on-call email configured (Safety:OnCall:Email): a red flag with nobody online waits in the staff console only");
        }

        return base.StartAsync(cancellationToken);
    }

    /// <summary>The email for one alert (public for tests: it must never carry patient data).</summary>
    public static MimeMessage Compose(OnCallAlert alert, OnCallOptions settings)
    {
        ArgumentNullException.ThrowIfNull(alert);
        ArgumentNullException.ThrowIfNull(settings);
        var link = settings.ConsoleUrl!.TrimEnd('/') + "/#handoff=" + Uri.EscapeDataString(alert.HandoffId);
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(settings.From));
        message.To.Add(MailboxAddress.Parse(settings.Email!));
        message.Subject = $"ClinicBot: urgent safety alert {alert.HandoffId}, nobody online";
        message.Body = new TextPart("plain")
        {
            Text = $"""
                A patient's message raised an urgent safety alert, and nobody is signed in to the staff console.

                Open the alert: {link}

                The bot has already given the patient the emergency number or the crisis line. The message itself is only
                in the console (sign in to read it).
                """,
        };
        return message;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var alert in _pending.Reader.ReadAllAsync(stoppingToken))
            {
                await SendWithRetriesAsync(alert, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task SendWithRetriesAsync(OnCallAlert alert, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        for (var attempt = 1; attempt <= settings.MaxAttempts; attempt++)
        {
            try
            {
                using var client = new SmtpClient { Timeout = 15_000 };
                var security = settings.SmtpSecurity switch
                {
                    "Tls" => SecureSocketOptions.SslOnConnect,
                    "None" => SecureSocketOptions.None,
                    _ => SecureSocketOptions.StartTls,
                };
                await client.ConnectAsync(settings.SmtpHost!, settings.SmtpPort, security, cancellationToken);
                if (!string.IsNullOrEmpty(settings.SmtpUserName))
                {
                    await client.AuthenticateAsync(settings.SmtpUserName, settings.SmtpPassword ?? string.Empty, cancellationToken);
                }

                await client.SendAsync(Compose(alert, settings), cancellationToken);
                await client.DisconnectAsync(quit: true, cancellationToken);
                SafetyMetrics.Alerted(alert.Flag, "email");
                logger.LogInformation("On-call email sent for red-flag alert {HandoffId} (attempt {Attempt})", alert.HandoffId, attempt);
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "On-call email for red-flag alert {HandoffId} failed (attempt {Attempt} of {MaxAttempts})", alert.HandoffId, attempt, settings.MaxAttempts);
                if (attempt < settings.MaxAttempts)
                {
                    await Task.Delay(TimeSpan.FromSeconds(Math.Min(60, 2 << attempt)), time, cancellationToken);
                }
            }
        }

        logger.LogError("On-call email for red-flag alert {HandoffId} could not be sent; the alert waits in the staff console", alert.HandoffId);
    }
}
