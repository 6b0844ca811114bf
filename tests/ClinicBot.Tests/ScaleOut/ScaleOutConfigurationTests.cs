using ClinicBot.Bot.ScaleOut;
using ClinicBot.Bot.Staff;
using ClinicBot.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ClinicBot.Tests.ScaleOut;

public sealed class ScaleOutConfigurationTests
{
    [Fact]
    public void AzureSignalRIsRegisteredWhenItsConnectionStringIsConfigured()
    {
        // Registration only: nothing is started, so nothing tries to reach the (loopback) endpoint.
        var builder = WebApplication.CreateBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Azure:SignalR:ConnectionString"] = "Endpoint=https://127.0.0.1;AccessKey=" + Convert.ToBase64String(new byte[32]) + ";Version=1.0;",
        });
        builder.AddStaffConsole();
        builder.AddClinicBotScaleOut();

        Assert.Contains(builder.Services, d => d.ImplementationType?.Assembly.GetName().Name == "Microsoft.Azure.SignalR"
            || d.ServiceType.Assembly.GetName().Name == "Microsoft.Azure.SignalR");
    }

    [Fact]
    public void WithBothAzureSettingsAsTheTemplatesSetThemTheConnectionStringWins()
    {
        var builder = WebApplication.CreateBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Azure:SignalR:Endpoint"] = "https://127.0.0.1",
            ["Azure:SignalR:ConnectionString"] = "Endpoint=https://127.0.0.1;AccessKey=" + Convert.ToBase64String(new byte[32]) + ";Version=1.0;",
        });
        builder.AddStaffConsole();
        builder.AddClinicBotScaleOut();
        Assert.Contains(builder.Services, d => d.ServiceType.Assembly.GetName().Name == "Microsoft.Azure.SignalR");

        var options = new ScaleOutOptions { AzureSignalREndpoint = "https://127.0.0.1", AzureSignalRConnectionString = "Endpoint=https://127.0.0.1;AccessKey=a;Version=1.0;" };
        Assert.Empty(options.Validate(new System.ComponentModel.DataAnnotations.ValidationContext(options)));
    }

    [Fact]
    public void WithoutABackplaneTheConsoleUsesSignalRInProcess()
    {
        var builder = WebApplication.CreateBuilder();
        builder.AddStaffConsole();
        builder.AddClinicBotScaleOut();
        Assert.DoesNotContain(builder.Services, d => d.ServiceType.Assembly.GetName().Name == "Microsoft.Azure.SignalR");
        Assert.Contains(builder.Services, d => d.ServiceType == typeof(HubLifetimeManager<StaffHub>));
    }

    [Theory]
    [InlineData("Azure:SignalR:ConnectionString", "Endpoint=https://x.service.signalr.net;AccessKey=a;Version=1.0;", "ScaleOut:RedisConnectionString", "127.0.0.1:6379", "not both")]
    [InlineData("Azure:SignalR:Endpoint", "http://insecure.example", "ScaleOut:PresenceHeartbeatSeconds", "15", "Azure:SignalR:Endpoint must be an absolute https URL")]
    [InlineData("ScaleOut:PresenceHeartbeatSeconds", "30", "ScaleOut:PresenceExpirySeconds", "20", "ScaleOut:PresenceExpirySeconds must be longer")]
    public void ConflictingOrBadSettingsStopTheStartWithASentence(string key1, string value1, string key2, string value2, string expected)
    {
        using var factory = new ClinicBotFactory(settings: new Dictionary<string, string?> { [key1] = value1, [key2] = value2 });
        var failure = Assert.ThrowsAny<Exception>(() => factory.CreateClient());
        Assert.Contains(expected, failure.ToString(), StringComparison.Ordinal);
    }
}
