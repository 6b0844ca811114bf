using ClinicBot.Dialogs.Bots;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Builder.Integration.AspNet.Core;
using Microsoft.Bot.Connector.Authentication;
using Microsoft.Bot.Schema;

namespace ClinicBot.Bot.BotFramework;

/// <summary>
/// The Azure Bot Service channel adapter (web chat through Azure, Facebook through Azure, Teams...):
/// CloudAdapter with ClinicBot's middleware and turn-error policy.
/// </summary>
public sealed class ClinicBotCloudAdapter : CloudAdapter
{
    public ClinicBotCloudAdapter(
        BotFrameworkAuthentication authentication,
        ILogger<ClinicBotCloudAdapter> logger,
        TurnErrorHandler turnErrorHandler,
        IEnumerable<Microsoft.Bot.Builder.IMiddleware> middleware)
        : base(authentication, logger)
    {
        ArgumentNullException.ThrowIfNull(turnErrorHandler);
        OnTurnError = turnErrorHandler.HandleAsync;
        foreach (var component in middleware)
        {
            Use(component);
        }
    }

    /// <summary>Authenticates and runs one activity already read and checked by the endpoint.</summary>
    public Task<InvokeResponse> ProcessCheckedActivityAsync(string authHeader, Activity activity, BotCallbackHandler logic, CancellationToken cancellationToken) =>
        ProcessActivityAsync(authHeader, activity, logic, cancellationToken);
}
