using ClinicBot.Bot.Recognition;
using ClinicBot.Dialogs.Knowledge;
using ClinicBot.Tests.Knowledge;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ClinicBot.Tests.Recognition;

[Collection(MiniLmCollection.Name)]
public sealed class RecognitionExtensionsTests(MiniLmFixture fixture) : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("clinicbot-host-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Host_starts_with_a_trained_recognizer()
    {
        var path = Path.Combine(_directory, "faq.yaml");
        File.Copy(KnowledgeBaseYamlTests.SamplePath, path);
        using var host = BuildHost(path);

        await host.StartAsync();
        var recognizer = host.Services.GetRequiredService<IQuestionRecognizer>();
        var result = await recognizer.RecognizeAsync("do you take blue cross", CancellationToken.None);
        await host.StopAsync();

        Assert.Equal("insurance-accepted", result.Best?.Id);
        Assert.Same(host.Services.GetRequiredService<IKnowledgeBase>(), host.Services.GetRequiredService<KnowledgeBaseStore>());
        Assert.NotNull(host.Services.GetRequiredService<MedicalAdviceDetector>());
        Assert.True(Directory.EnumerateFiles(Path.Combine(_directory, "cache"), "kb-*.emb").Any());
    }

    [Fact]
    public async Task Host_fails_to_start_with_the_loader_message_for_an_invalid_knowledge_base()
    {
        var path = Path.Combine(_directory, "faq.yaml");
        File.WriteAllText(path, "entries:\n  - id: hours\n    question: When?\n    answer: ''\n    phrasings: [ 'open?' ]\n");
        using var host = BuildHost(path);

        var ex = await Assert.ThrowsAsync<KnowledgeBaseException>(() => host.StartAsync());

        Assert.Contains("entry #1 (id 'hours'): field 'answer'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Host_fails_to_start_with_invalid_options()
    {
        using var host = BuildHost(Path.Combine(_directory, "faq.yaml"), threshold: "1.5");

        var ex = await Assert.ThrowsAnyAsync<Exception>(() => host.StartAsync());

        Assert.Contains("ConfidenceThreshold", ex.Message, StringComparison.Ordinal);
    }

    private IHost BuildHost(string path, string threshold = "0.4")
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["KnowledgeBase:Path"] = path,
            ["KnowledgeBase:ConfidenceThreshold"] = threshold,
            ["KnowledgeBase:EmbeddingCachePath"] = Path.Combine(_directory, "cache"),
        });
        builder.Services.AddLogging();
        builder.Services.AddSingleton<ISentenceEmbedder>(fixture.Embedder);
        builder.AddClinicBotKnowledge();
        return builder.Build();
    }
}
