using ClinicBot.Dialogs.Patients;
using ClinicBot.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ClinicBot.Tests.Logging;

/// <summary>The host's loggers erase every value classified as patient data (ClinicBotData) before any provider sees it.</summary>
public sealed partial class LogRedactionTests
{
    [Fact]
    public void ClassifiedValuesAreErasedAndIdsAreKept()
    {
        using var factory = new ClinicBotFactory();
        _ = factory.Services; // starts the host
        var logger = factory.Services.GetRequiredService<ILoggerFactory>().CreateLogger("ClinicBot.Tests.Redaction");

        Everything(logger, "conv-redaction-1", "my knee hurts after surgery", "Dana Quirkshaw", "617-555-0142", "03/14/1979");

        var line = Assert.Single(factory.Logs.Lines, l => l.Contains("conv-redaction-1", StringComparison.Ordinal));
        foreach (var secret in new[] { "knee", "Quirkshaw", "555-0142", "1979" })
        {
            Assert.DoesNotContain(secret, line, StringComparison.Ordinal);
        }
    }

    [LoggerMessage(LogLevel.Warning, "Conversation {ConversationId}: {Text} from {Name} ({Phone}, born {Birth})")]
    private static partial void Everything(ILogger logger, string conversationId, [PatientText] string text, [PatientName] string name, [ContactDetails] string phone, [DateOfBirth] string birth);
}
