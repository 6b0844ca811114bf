using Microsoft.Bot.Connector.Authentication;
using Microsoft.Bot.Schema;

namespace ClinicBot.Bot.BotFramework;

/// <summary>A view of a shared user token client whose disposal (at the end of every turn) leaves the shared client alive.</summary>
internal sealed class NonDisposingUserTokenClient(UserTokenClient inner) : UserTokenClient
{
    public override Task<TokenResponse> GetUserTokenAsync(string userId, string connectionName, string channelId, string magicCode, CancellationToken cancellationToken) =>
        inner.GetUserTokenAsync(userId, connectionName, channelId, magicCode, cancellationToken);

    public override Task<SignInResource> GetSignInResourceAsync(string connectionName, Activity activity, string finalRedirect, CancellationToken cancellationToken) =>
        inner.GetSignInResourceAsync(connectionName, activity, finalRedirect, cancellationToken);

    public override Task SignOutUserAsync(string userId, string connectionName, string channelId, CancellationToken cancellationToken) =>
        inner.SignOutUserAsync(userId, connectionName, channelId, cancellationToken);

    public override Task<TokenStatus[]> GetTokenStatusAsync(string userId, string channelId, string includeFilter, CancellationToken cancellationToken) =>
        inner.GetTokenStatusAsync(userId, channelId, includeFilter, cancellationToken);

    public override Task<Dictionary<string, TokenResponse>> GetAadTokensAsync(string userId, string connectionName, string[] resourceUrls, string channelId, CancellationToken cancellationToken) =>
        inner.GetAadTokensAsync(userId, connectionName, resourceUrls, channelId, cancellationToken);

    public override Task<TokenResponse> ExchangeTokenAsync(string userId, string connectionName, string channelId, TokenExchangeRequest exchangeRequest, CancellationToken cancellationToken) =>
        inner.ExchangeTokenAsync(userId, connectionName, channelId, exchangeRequest, cancellationToken);


    protected override void Dispose(bool disposing)
    {
        // Intentionally does not dispose the inner client: the cache owns its lifetime.
        base.Dispose(disposing);
    }
}
