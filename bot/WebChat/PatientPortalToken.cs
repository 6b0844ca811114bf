using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using ClinicBot.Bot.DirectLine;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace ClinicBot.Bot.WebChat;

/// <summary>A patient the portal vouched for.</summary>
public sealed record PortalPatient(string PatientId, string? Name);

/// <summary>
/// Checks patient portal tokens: <c>base64url(json {"sub","name","exp"}) + "." + base64url(HMAC-SHA256(key, first part))</c>,
/// with <c>exp</c> in Unix seconds no further ahead than <see cref="PatientPortalOptions.MaxTokenLifetimeMinutes"/>.
/// </summary>
public sealed class PatientPortalTokens(IOptions<PatientPortalOptions> options, TimeProvider time)
{
    private static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(60);

    public bool IsConfigured => !string.IsNullOrEmpty(options.Value.SigningKey);

    /// <summary>The verified patient, or null with a reason that is safe to return to the caller.</summary>
    public PortalPatient? Verify(string token, out string? reason)
    {
        reason = null;
        if (options.Value.SigningKey is not { Length: > 0 } key)
        {
            reason = "Patient portal tokens are not accepted here (PatientPortal:SigningKey is not configured).";
            return null;
        }

        var dot = token.IndexOf('.', StringComparison.Ordinal);
        if (token.Length > 4096 || dot <= 0 || dot != token.LastIndexOf('.'))
        {
            reason = "The portal token is malformed.";
            return null;
        }

        var payload = token[..dot];
        byte[] signature;
        Claims? claims;
        try
        {
            signature = Base64UrlTextEncoder.Decode(token[(dot + 1)..]);
            if (!CryptographicOperations.FixedTimeEquals(signature, Sign(key, payload)))
            {
                reason = "The portal token's signature is not valid.";
                return null;
            }

            claims = JsonSerializer.Deserialize<Claims>(Base64UrlTextEncoder.Decode(payload));
        }
        catch (Exception ex) when (ex is FormatException or JsonException)
        {
            reason = "The portal token is malformed.";
            return null;
        }

        var now = time.GetUtcNow();
        if (claims is null || !DirectLineUsers.IsWellFormed(claims.Subject) || claims.Expires is null)
        {
            reason = "The portal token has no valid 'sub' and 'exp'.";
            return null;
        }

        var expires = DateTimeOffset.FromUnixTimeSeconds(claims.Expires.Value);
        if (expires <= now - ClockSkew)
        {
            reason = "The portal token has expired.";
            return null;
        }

        if (expires > now + TimeSpan.FromMinutes(options.Value.MaxTokenLifetimeMinutes) + ClockSkew)
        {
            reason = "The portal token lives too long; portal tokens must be short-lived.";
            return null;
        }

        var name = claims.Name is { Length: > 0 } n ? n[..Math.Min(n.Length, 100)] : null;
        return new PortalPatient(claims.Subject!, name);
    }

    /// <summary>Issues a portal token as the portal would (for tests, tools and the documentation's example).</summary>
    public static string Create(string signingKey, string patientId, string? name, DateTimeOffset expires)
    {
        var payload = Base64UrlTextEncoder.Encode(JsonSerializer.SerializeToUtf8Bytes(new Claims
        {
            Subject = patientId,
            Name = name,
            Expires = expires.ToUnixTimeSeconds(),
        }));
        return payload + "." + Base64UrlTextEncoder.Encode(Sign(signingKey, payload));
    }

    private static byte[] Sign(string key, string payload) =>
        HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), Encoding.ASCII.GetBytes(payload));

    private sealed class Claims
    {
        [JsonPropertyName("sub")]
        public string? Subject { get; set; }

        [JsonPropertyName("name")]
        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
        public string? Name { get; set; }

        [JsonPropertyName("exp")]
        public long? Expires { get; set; }
    }
}
