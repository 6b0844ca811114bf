using ClinicBot.Bot.BotFramework;
using ClinicBot.Bot.Conversation;
using ClinicBot.Bot.DirectLine;
using ClinicBot.Bot.Handoff;
using ClinicBot.Bot.Health;
using ClinicBot.Bot.Hosting;
using ClinicBot.Bot.Logging;
using ClinicBot.Bot.Messenger;
using ClinicBot.Bot.Observability;
using ClinicBot.Bot.Privacy;
using ClinicBot.Bot.RateLimiting;
using ClinicBot.Bot.Recognition;
using ClinicBot.Bot.Safety;
using ClinicBot.Bot.ScaleOut;
using ClinicBot.Bot.Staff;
using ClinicBot.Bot.Storage;
using ClinicBot.Bot.WebChat;

var builder = WebApplication.CreateBuilder(args);

builder.AddGracefulShutdown();
builder.AddClinicBotLogRedaction();
builder.AddClinicBotStorage();
builder.AddClinicBotKnowledge();
builder.AddClinicBotSafety();
builder.AddClinicBotConversation();
builder.AddBotFrameworkChannel();
builder.AddBuiltInDirectLine();
builder.AddWebChatPage();
builder.AddMessengerChannel();
builder.AddHandoffEngine();
builder.AddStaffConsole();
builder.AddClinicBotScaleOut();
builder.AddClinicBotTelemetry();
builder.AddPatientDataRequests();
builder.AddClinicBotRateLimits();

var app = builder.Build();

app.UseClinicBotRateLimits();
app.MapHealthEndpoints();
app.MapBotFrameworkChannel();
app.MapBuiltInDirectLine();
app.MapStaffConsole();
app.MapPatientDataRequests();
app.MapWebChatPage();
app.MapMessengerChannel();

app.Run();

/// <summary>The host's entry point; public so functional tests can start it with WebApplicationFactory.</summary>
public partial class Program;
