using Microsoft.Bot.Connector;
using Microsoft.Rest;
using Newtonsoft.Json;

namespace ClinicBot.Bot.BotFramework;

/// <summary>A view of a shared connector client whose <see cref="Dispose"/> leaves the shared client alive.</summary>
internal sealed class NonDisposingConnectorClient(IConnectorClient inner) : IConnectorClient
{
    public Uri BaseUri { get => inner.BaseUri; set => inner.BaseUri = value; }

    public JsonSerializerSettings SerializationSettings => inner.SerializationSettings;

    public JsonSerializerSettings DeserializationSettings => inner.DeserializationSettings;

    public ServiceClientCredentials Credentials => inner.Credentials;

    public IAttachments Attachments => inner.Attachments;

    public IConversations Conversations => inner.Conversations;

    public void Dispose()
    {
        // Intentionally empty: the cache owns the client's lifetime.
    }
}
