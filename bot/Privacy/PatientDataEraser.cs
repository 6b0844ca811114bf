using ClinicBot.Bot.Storage.Sqlite;
using Microsoft.Bot.Builder;

namespace ClinicBot.Bot.Privacy;

/// <summary>What one erasure removed.</summary>
public sealed record ErasureReport(int Conversations, int StateRecords, int TranscriptMessages, int FollowUps, int Handoffs, int HandoffMessages, int DirectLineActivities);

/// <summary>
/// Deletes everything ClinicBot keeps about one patient: conversation and user state (any IStorage provider), and, in
/// the ClinicBot SQLite database, transcripts, follow-ups, handoffs with their messages and built-in Direct Line logs of
/// every conversation of that patient (found by user id). Idempotent.
/// </summary>
public sealed class PatientDataEraser(SqliteDatabase database, IStorage storage)
{
    public async Task<ErasureReport> EraseAsync(string patientUserId, IReadOnlyCollection<(string ChannelId, string ConversationId)> knownConversations, bool includeDirectLineLog, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(patientUserId);
        await using var connection = await database.OpenConnectionAsync(cancellationToken);

        var conversations = new HashSet<(string ChannelId, string ConversationId)>(knownConversations);
        await using (var find = connection.CreateCommand())
        {
            find.CommandText = """
                SELECT channel_id, conversation_id FROM transcript_conversations WHERE user_id = $user
                UNION SELECT 'webchat', id FROM directline_conversations WHERE user_id = $user
                """;
            find.Parameters.AddWithValue("$user", patientUserId);
            await using var reader = await find.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                conversations.Add((reader.GetString(0), reader.GetString(1)));
            }
        }

        var channels = conversations.Select(c => c.ChannelId).Distinct(StringComparer.Ordinal).ToList();
        var stateKeys = conversations.Select(c => $"{c.ChannelId}/conversations/{c.ConversationId}")
            .Concat(channels.Select(channel => $"{channel}/users/{patientUserId}"))
            .ToArray();
        await storage.DeleteAsync(stateKeys, cancellationToken);

        int transcripts = 0, followUps, handoffs = 0, handoffMessages = 0, directLine = 0;
        await using var transaction = connection.BeginTransaction(deferred: false);
        foreach (var (_, conversationId) in conversations)
        {
            handoffMessages += await ExecuteAsync("DELETE FROM handoff_messages WHERE handoff_id IN (SELECT id FROM handoffs WHERE conversation_id = $c)", conversationId);
            handoffs += await ExecuteAsync("DELETE FROM handoffs WHERE conversation_id = $c", conversationId);
            transcripts += await ExecuteAsync("DELETE FROM transcript_messages WHERE conversation_id = $c", conversationId);
            await ExecuteAsync("DELETE FROM transcript_conversations WHERE conversation_id = $c", conversationId);
            if (includeDirectLineLog)
            {
                directLine += await ExecuteAsync("DELETE FROM directline_activities WHERE conversation_id = $c", conversationId);
                await ExecuteAsync("DELETE FROM directline_conversations WHERE id = $c", conversationId);
            }
        }

        followUps = await ExecuteAsync("DELETE FROM follow_ups WHERE json_extract(document, '$.patientUserId') = $c", patientUserId);
        await transaction.CommitAsync(cancellationToken);
        return new ErasureReport(conversations.Count, stateKeys.Length, transcripts, followUps, handoffs, handoffMessages, directLine);

        async Task<int> ExecuteAsync(string sql, string value)
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = sql;
            command.Parameters.AddWithValue("$c", value);
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }
}
