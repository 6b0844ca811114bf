using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Newtonsoft.Json.Linq;

namespace ClinicBot.Tests.Support;

/// <summary>A Direct Line 3.0 client over real HTTP, as Web Chat's directline.js talks to the service.</summary>
public sealed class DirectLineTestClient(HttpClient http) : IDisposable
{
    public const string Base = "/v3/directline";

    public HttpClient Http => http;

    public async Task<JObject> GenerateTokenAsync(string? userId = null)
    {
        using var content = userId is null ? null : Json(new JObject { ["user"] = new JObject { ["id"] = userId } });
        using var response = await http.PostAsync(Base + "/tokens/generate", content);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JObject.Parse(await response.Content.ReadAsStringAsync());
    }

    /// <summary>Generates a token and starts its conversation; returns the 201 body.</summary>
    public async Task<JObject> StartConversationAsync()
    {
        var token = (string)(await GenerateTokenAsync())["token"]!;
        using var response = await SendAsync(HttpMethod.Post, Base + "/conversations", token);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return JObject.Parse(await response.Content.ReadAsStringAsync());
    }

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? token, HttpContent? content = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return await http.SendAsync(request);
    }

    public Task<HttpResponseMessage> PostActivityAsync(string conversationId, string token, JObject activity) =>
        SendAsync(HttpMethod.Post, $"{Base}/conversations/{conversationId}/activities", token, Json(activity));

    /// <summary>Posts a message as Web Chat does (with a clientActivityID) and returns the id the service gave it.</summary>
    public async Task<string> SayAsync(string conversationId, string token, string text, string? clientActivityId = null)
    {
        using var response = await PostActivityAsync(conversationId, token, Message(text, clientActivityId));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (string)JObject.Parse(await response.Content.ReadAsStringAsync())["id"]!;
    }

    public async Task<(JArray Activities, string Watermark)> GetActivitiesAsync(string conversationId, string token, string? watermark = null)
    {
        var path = $"{Base}/conversations/{conversationId}/activities" + (watermark is null ? string.Empty : "?watermark=" + watermark);
        using var response = await SendAsync(HttpMethod.Get, path, token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var set = JObject.Parse(await response.Content.ReadAsStringAsync());
        return ((JArray)set["activities"]!, (string)set["watermark"]!);
    }

    public static JObject Message(string text, string? clientActivityId = null) => new()
    {
        ["type"] = "message",
        ["text"] = text,
        ["from"] = new JObject { ["id"] = "browser-says-anything", ["name"] = "Someone", ["role"] = "user" },
        ["locale"] = "en-US",
        ["channelData"] = new JObject { ["clientActivityID"] = clientActivityId ?? Guid.NewGuid().ToString("N") },
    };

    public static JObject JoinEvent(string? name) => new()
    {
        ["type"] = "event",
        ["name"] = "webchat/join",
        ["value"] = new JObject { ["name"] = name },
        ["from"] = new JObject { ["id"] = "browser-says-anything", ["role"] = "user" },
        ["channelData"] = new JObject { ["clientActivityID"] = Guid.NewGuid().ToString("N") },
    };

    public static StringContent Json(JToken body) => new(body.ToString(Newtonsoft.Json.Formatting.None), Encoding.UTF8, "application/json");

    /// <summary>Texts of the bot's messages in an ActivitySet.</summary>
    public static List<string> BotTexts(JArray activities) =>
        activities.Where(a => (string?)a["from"]?["role"] == "bot" && (string?)a["type"] == "message").Select(a => (string?)a["text"] ?? string.Empty).ToList();

    public void Dispose() => http.Dispose();
}
