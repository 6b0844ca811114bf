using ClinicBot.Dialogs.Conversation;
using Microsoft.Bot.Schema;
using Newtonsoft.Json;

namespace ClinicBot.Tests.Dialogs.Conversation;

/// <summary>
/// Reply addresses are stored with handoffs, follow-ups, cases and transcripts, some written before ReplyAddress
/// existed: it must write exactly what JsonConvert wrote, and read back anything a stored row may hold.
/// </summary>
public sealed class ReplyAddressTests
{
    private static Activity PatientMessage(string text = "Hi, it's Zoë — \"quoted\" \\ and 膝") => new()
    {
        Type = ActivityTypes.Message,
        Id = "act-42",
        ChannelId = "webchat",
        ServiceUrl = "https://directline.example.org/",
        Locale = "es-ES",
        Text = text,
        Conversation = new ConversationAccount(id: "conv-7", name: text, isGroup: false),
        From = new ChannelAccount("user-9", "Zoë Núñez", "user"),
        Recipient = new ChannelAccount("bot", "ClinicBot"),
    };

    [Fact]
    public void ItIsWhatJsonConvertWroteForTheSameConversation()
    {
        var activity = PatientMessage();

        Assert.Equal(JsonConvert.SerializeObject(activity.GetConversationReference()), ReplyAddress.Of(activity));
    }

    [Fact]
    public void ALongConversationNameIsWrittenWhole()
    {
        // Longer than the writer's pooled buffers.
        var activity = PatientMessage(new string('x', 40_000) + "é");

        Assert.Equal(JsonConvert.SerializeObject(activity.GetConversationReference()), ReplyAddress.Of(activity));
    }

    [Fact]
    public void ItReadsBackTheConversationItWasWrittenFor()
    {
        var reference = ReplyAddress.Read(ReplyAddress.Of(PatientMessage()));

        Assert.NotNull(reference);
        Assert.Equal("conv-7", reference.Conversation.Id);
        Assert.Equal("webchat", reference.ChannelId);
        Assert.Equal("https://directline.example.org/", reference.ServiceUrl);
        Assert.Equal("user-9", reference.User.Id);
        Assert.Equal("act-42", reference.ActivityId);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("{\"channelId\":\"webchat\"}")]
    [InlineData("{\"conversation\":{}}")]
    [InlineData("[1,2]")]
    public void WhatIsNotAReplyAddressReadsAsNone(string? stored)
    {
        Assert.Null(ReplyAddress.Read(stored));
    }
}
