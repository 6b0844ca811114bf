using ClinicBot.Dialogs.Knowledge;

namespace ClinicBot.Tests.Knowledge;

public sealed class KnowledgeBaseYamlTests
{
    private const string ValidEntry = """
          - id: hours
            department: front-desk
            question: What are your hours?
            answer: Monday to Friday 7 to 19.
            phrasings: [ "when are you open" ]
        """;

    public static string SamplePath => Path.Combine(AppContext.BaseDirectory, "knowledge", "clinic-faq.yaml");

    [Fact]
    public void Parses_a_valid_entry()
    {
        var kb = KnowledgeBaseYaml.Parse("entries:\n" + ValidEntry, "faq.yaml");

        var entry = Assert.Single(kb.Entries);
        Assert.Equal("hours", entry.Id);
        Assert.Equal("front-desk", entry.Department);
        Assert.Equal(["when are you open"], entry.Phrasings);
        Assert.Same(entry, kb.Find("HOURS"));
    }

    [Fact]
    public void Collects_every_error_naming_entry_and_field()
    {
        var yaml = """
            entries:
              - question: No id here
                answer: Something.
                phrasings: [ "x" ]
              - id: hours
                question: What are your hours?
                answer: "   "
                phrasings: []
              - id: hours
                question: Again?
                answer: Yes.
                phrasings: [ "again" ]
                department: biling
                links:
                  - title: Map
                    url: not a url
              - id: Bad_Id
                answer: Yes.
                phrasings: [ "" ]
            """;

        var ex = Assert.Throws<KnowledgeBaseException>(() => KnowledgeBaseYaml.Parse(yaml, "faq.yaml"));

        Assert.Contains(ex.Errors, e => e.Contains("entry #1", StringComparison.Ordinal) && e.Contains("'id' is missing", StringComparison.Ordinal));
        Assert.Contains(ex.Errors, e => e.Contains("entry #2 (id 'hours')", StringComparison.Ordinal) && e.Contains("'answer'", StringComparison.Ordinal));
        Assert.Contains(ex.Errors, e => e.Contains("entry #2 (id 'hours')", StringComparison.Ordinal) && e.Contains("'phrasings' is missing or empty", StringComparison.Ordinal));
        Assert.Contains(ex.Errors, e => e.Contains("entry #3 (id 'hours')", StringComparison.Ordinal) && e.Contains("duplicates entry #2", StringComparison.Ordinal));
        Assert.Contains(ex.Errors, e => e.Contains("entry #3 (id 'hours')", StringComparison.Ordinal) && e.Contains("'department'", StringComparison.Ordinal));
        Assert.Contains(ex.Errors, e => e.Contains("entry #3 (id 'hours')", StringComparison.Ordinal) && e.Contains("'links' item 1 has a bad 'url'", StringComparison.Ordinal));
        Assert.Contains(ex.Errors, e => e.Contains("entry #4 (id 'Bad_Id')", StringComparison.Ordinal) && e.Contains("'id' must be", StringComparison.Ordinal));
        Assert.Contains(ex.Errors, e => e.Contains("entry #4 (id 'Bad_Id')", StringComparison.Ordinal) && e.Contains("'question'", StringComparison.Ordinal));
        Assert.Contains(ex.Errors, e => e.Contains("entry #4 (id 'Bad_Id')", StringComparison.Ordinal) && e.Contains("'phrasings' item 1 is empty", StringComparison.Ordinal));
        Assert.Equal(9, ex.Errors.Count);
        Assert.All(ex.Errors, e => Assert.Contains(e, ex.Message, StringComparison.Ordinal));
    }

    [Fact]
    public void Unknown_fields_and_bad_yaml_report_the_line()
    {
        var ex = Assert.Throws<KnowledgeBaseException>(() => KnowledgeBaseYaml.Parse("entries:\n  - id: a\n    anwser: typo\n", "faq.yaml"));

        var error = Assert.Single(ex.Errors);
        Assert.Contains("line 3", error, StringComparison.Ordinal);
        Assert.Contains("anwser", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Empty_file_is_an_error()
    {
        var ex = Assert.Throws<KnowledgeBaseException>(() => KnowledgeBaseYaml.Parse("", "faq.yaml"));

        Assert.Contains("'entries' is missing or empty", Assert.Single(ex.Errors), StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_file_is_an_error_naming_the_path()
    {
        var ex = Assert.Throws<KnowledgeBaseException>(() => KnowledgeBaseYaml.LoadFile("/nonexistent/faq.yaml"));

        Assert.Contains("/nonexistent/faq.yaml", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Sample_knowledge_base_loads_and_covers_the_clinic()
    {
        var kb = KnowledgeBaseYaml.LoadFile(SamplePath);

        Assert.True(kb.Count >= 25, $"only {kb.Count} entries");
        Assert.All(kb.Entries, e => Assert.InRange(e.Phrasings.Count, 6, 10));
        Assert.All(kb.Entries, e => Assert.Contains(e.Department!, KnowledgeDepartments.All));
        Assert.Contains("Saturdays 8:00 to 12:00", kb.Find("hours")!.Answer, StringComparison.Ordinal);
        foreach (var id in new[] { "location-downtown", "location-eastside", "parking", "services", "pediatric-pt", "post-surgical-rehab", "sports-rehab", "vestibular", "insurance-accepted", "self-pay-rates", "payment-methods", "billing-contact", "cancellation-policy", "what-to-bring", "what-to-wear", "first-visit-paperwork", "first-visit-length", "referral-direct-access", "telehealth", "accessibility", "records-request", "schedule-appointment", "reschedule-appointment", "languages", "illness-policy", "dry-needling" })
        {
            Assert.NotNull(kb.Find(id));
        }
    }

    [Fact]
    public void Content_hash_changes_with_content_only()
    {
        var a = KnowledgeBaseYaml.Parse("entries:\n" + ValidEntry, "faq.yaml");
        var b = KnowledgeBaseYaml.Parse("entries:\n" + ValidEntry, "other.yaml");
        var c = a.WithPhrasing("hours", "open saturday?");

        Assert.Equal(a.ContentHash, b.ContentHash);
        Assert.NotEqual(a.ContentHash, c.ContentHash);
        Assert.Equal(64, a.ContentHash.Length);
    }
}
