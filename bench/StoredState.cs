using ClinicBot.Bot.Storage;
using ClinicBot.Bot.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace ClinicBot.Bench;

/// <summary>Bytes of stored state per conversation, and pre-seeding bot_state through the bot's own SqliteStorage.</summary>
public static class StoredState
{
    /// <summary>Sizes (UTF-8 bytes of the document column) of the conversation and user state rows of the given channel.</summary>
    public static StateSizes Measure(string databasePath, string channelId = "webchat")
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = databasePath, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT key, length(CAST(document AS BLOB)) FROM bot_state WHERE key LIKE $prefix;";
        command.Parameters.AddWithValue("$prefix", channelId + "/%");
        var conversations = new Dictionary<string, long>(StringComparer.Ordinal);
        var users = new Dictionary<string, long>(StringComparer.Ordinal);
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                var key = reader.GetString(0);
                var bytes = reader.GetInt64(1);
                if (key.StartsWith(channelId + "/conversations/", StringComparison.Ordinal))
                {
                    conversations[key[(channelId.Length + "/conversations/".Length)..]] = bytes;
                }
                else if (key.StartsWith(channelId + "/users/", StringComparison.Ordinal))
                {
                    users[key[(channelId.Length + "/users/".Length)..]] = bytes;
                }
            }
        }

        // The bench gives every conversation its own patient, "user-" + conversation id.
        var perConversation = conversations.Select(c => c.Value + users.GetValueOrDefault("user-" + c.Key)).ToList();
        return new StateSizes(
            conversations.Count,
            conversations.Count == 0 ? 0 : conversations.Values.Average(),
            conversations.Count == 0 ? 0 : conversations.Values.Max(),
            users.Count == 0 ? 0 : users.Values.Average(),
            users.Count == 0 ? 0 : users.Values.Max(),
            perConversation.Count == 0 ? 0 : perConversation.Average(),
            perConversation.Count == 0 ? 0 : perConversation.Max());
    }

    /// <summary>
    /// Writes <paramref name="count"/> conversations (conversation + user state copied from a real conversation of
    /// <paramref name="templateDatabase"/>) into a new database through <see cref="SqliteStorage"/>, 500 keys a batch.
    /// </summary>
    public static async Task SeedAsync(string templateDatabase, string targetDatabase, int count, CancellationToken cancellationToken)
    {
        string conversationKey;
        using (var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = templateDatabase, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString()))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT key FROM bot_state WHERE key LIKE 'webchat/conversations/%' ORDER BY length(document) DESC LIMIT 1;";
            conversationKey = (string?)command.ExecuteScalar() ?? throw new InvalidOperationException("The template database has no conversation state.");
        }

        var conversationId = conversationKey["webchat/conversations/".Length..];
        var userKey = "webchat/users/user-" + conversationId;
        var source = new SqliteStorage(Open(templateDatabase));
        var template = await source.ReadAsync([conversationKey, userKey], cancellationToken);

        Directory.CreateDirectory(Path.GetDirectoryName(targetDatabase)!);
        using var target = Open(targetDatabase);
        var storage = new SqliteStorage(target);
        for (var start = 0; start < count; start += 250)
        {
            var batch = new Dictionary<string, object>();
            for (var i = start; i < Math.Min(count, start + 250); i++)
            {
                var id = $"seeded-{i}";
                batch["webchat/conversations/" + id] = template[conversationKey];
                if (template.TryGetValue(userKey, out var user))
                {
                    batch["webchat/users/user-" + id] = user;
                }
            }

            await storage.WriteAsync(batch, cancellationToken);
        }

        SqliteConnection.ClearAllPools();
    }

    public static long CountConversations(string databasePath)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = databasePath, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM bot_state WHERE key LIKE '%/conversations/%';";
        return (long)command.ExecuteScalar()!;
    }

    private static SqliteDatabase Open(string path) =>
        new(Options.Create(new StorageOptions { Sqlite = new SqliteStorageOptions { Path = path } }), [SqliteStorage.Migration]);
}

public sealed record StateSizes(int Conversations, double ConversationAverage, long ConversationMax, double UserAverage, long UserMax, double TotalAverage, long TotalMax);
