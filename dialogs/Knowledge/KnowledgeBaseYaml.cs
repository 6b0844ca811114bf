using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace ClinicBot.Dialogs.Knowledge;

/// <summary>
/// Reads and validates the knowledge-base YAML. Every problem is collected, then all are thrown together in one
/// <see cref="KnowledgeBaseException"/> whose lines name the entry (number and id) and the field.
/// </summary>
/// <remarks>
/// File shape (the staff file and the overlay written by the bot share it; the overlay may also add phrasings):
/// <code>
/// entries:
///   - id: hours
///     department: front-desk
///     question: What are your hours?
///     answer: We're open ...
///     phrasings: [ "when r u open", ... ]
///     links: [ { title: Map, url: https://... } ]
/// phrasings:            # overlay only
///   - entry: hours
///     text: are you open saturday
/// </code>
/// </remarks>
public static partial class KnowledgeBaseYaml
{
    private static readonly IDeserializer Deserializer = new DeserializerBuilder()
        .WithNamingConvention(CamelCaseNamingConvention.Instance)
        .Build();

    private static readonly ISerializer Serializer = new SerializerBuilder()
        .WithNamingConvention(CamelCaseNamingConvention.Instance)
        .ConfigureDefaultValuesHandling(DefaultValuesHandling.OmitNull | DefaultValuesHandling.OmitEmptyCollections)
        .Build();

    /// <summary>Parses and validates the staff file, optionally merged with the overlay of additions.</summary>
    public static KnowledgeBase Parse(string yaml, string sourceName, string? overlayYaml = null, string? overlaySourceName = null)
    {
        var errors = new List<string>();
        var main = Deserialize(yaml, sourceName, errors);
        var entries = main is null ? [] : ValidateEntries(main.Entries, sourceName, requirePhrasings: true, [], errors);
        if (main?.Phrasings is { Count: > 0 })
        {
            errors.Add($"{sourceName}: top-level field 'phrasings' belongs in the overlay file; put phrasings under their entry");
        }

        if (overlayYaml is not null)
        {
            var overlayName = overlaySourceName ?? "overlay";
            var overlay = Deserialize(overlayYaml, overlayName, errors);
            if (overlay is not null)
            {
                var taken = entries.Select(e => e.Id).ToHashSet(StringComparer.OrdinalIgnoreCase);
                entries.AddRange(ValidateEntries(overlay.Entries, overlayName, requirePhrasings: false, taken, errors)
                    .Select(e => new KnowledgeEntry
                    {
                        Id = e.Id,
                        Question = e.Question,
                        Answer = e.Answer,
                        Phrasings = e.Phrasings,
                        Department = e.Department,
                        Links = e.Links,
                        AddedByStaff = true,
                    }));
                ApplyPhrasings(overlay.Phrasings, overlayName, entries, errors);
            }
        }

        if (errors.Count > 0)
        {
            throw new KnowledgeBaseException(sourceName, errors);
        }

        return new KnowledgeBase(entries);
    }

    /// <summary>Reads the staff file and, when it exists, the overlay next to it.</summary>
    public static KnowledgeBase LoadFile(string path, string? overlayPath = null)
    {
        if (!File.Exists(path))
        {
            throw new KnowledgeBaseException(path, [$"{path}: file not found"]);
        }

        var overlay = overlayPath is not null && File.Exists(overlayPath) ? File.ReadAllText(overlayPath) : null;
        return Parse(File.ReadAllText(path), path, overlay, overlayPath);
    }

    internal static string SerializeOverlay(OverlayFile overlay) =>
        "# Added by clinic staff through the bot (\"add to knowledge base\"). Same format as the main file.\n"
        + Serializer.Serialize(overlay);

    internal static OverlayFile ParseOverlayForUpdate(string yaml, string sourceName)
    {
        var errors = new List<string>();
        var file = Deserialize(yaml, sourceName, errors);
        if (errors.Count > 0)
        {
            throw new KnowledgeBaseException(sourceName, errors);
        }

        return file ?? new OverlayFile();
    }

    private static OverlayFile? Deserialize(string yaml, string sourceName, List<string> errors)
    {
        try
        {
            return Deserializer.Deserialize<OverlayFile?>(yaml) ?? new OverlayFile();
        }
        catch (YamlException ex)
        {
            var detail = ex.InnerException?.Message ?? ex.Message;
            errors.Add($"{sourceName}: line {ex.Start.Line}, column {ex.Start.Column}: {detail}");
            return null;
        }
    }

    private static List<KnowledgeEntry> ValidateEntries(
        List<EntryDto?>? dtos, string sourceName, bool requirePhrasings, HashSet<string> takenIds, List<string> errors)
    {
        var result = new List<KnowledgeEntry>();
        if (dtos is null || dtos.Count == 0)
        {
            if (requirePhrasings)
            {
                errors.Add($"{sourceName}: field 'entries' is missing or empty");
            }

            return result;
        }

        var firstPosition = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < dtos.Count; i++)
        {
            var dto = dtos[i];
            var number = i + 1;
            var id = dto?.Id?.Trim();
            var where = id is { Length: > 0 } ? $"{sourceName}: entry #{number} (id '{id}')" : $"{sourceName}: entry #{number}";
            if (dto is null)
            {
                errors.Add($"{where}: entry is empty");
                continue;
            }

            var before = errors.Count;
            if (string.IsNullOrEmpty(id))
            {
                errors.Add($"{where}: field 'id' is missing");
            }
            else if (!IdPattern().IsMatch(id))
            {
                errors.Add($"{where}: field 'id' must be lowercase letters, digits and dashes");
            }
            else if (takenIds.Contains(id))
            {
                errors.Add($"{where}: field 'id' duplicates an entry in the main knowledge base");
            }
            else if (!firstPosition.TryAdd(id, number))
            {
                errors.Add($"{where}: field 'id' duplicates entry #{firstPosition[id]}");
            }

            if (string.IsNullOrWhiteSpace(dto.Question))
            {
                errors.Add($"{where}: field 'question' is missing or empty");
            }

            if (string.IsNullOrWhiteSpace(dto.Answer))
            {
                errors.Add($"{where}: field 'answer' is missing or empty");
            }

            var phrasings = dto.Phrasings ?? [];
            if (requirePhrasings && phrasings.Count == 0)
            {
                errors.Add($"{where}: field 'phrasings' is missing or empty (give staff-written paraphrases)");
            }

            for (var p = 0; p < phrasings.Count; p++)
            {
                if (string.IsNullOrWhiteSpace(phrasings[p]))
                {
                    errors.Add($"{where}: field 'phrasings' item {p + 1} is empty");
                }
            }

            if (dto.Department is { } department && !KnowledgeDepartments.All.Contains(department.Trim()))
            {
                errors.Add($"{where}: field 'department' is '{department}'; expected one of {string.Join(", ", KnowledgeDepartments.All)}");
            }

            var links = new List<KnowledgeLink>();
            var linkDtos = dto.Links ?? [];
            for (var l = 0; l < linkDtos.Count; l++)
            {
                var link = linkDtos[l];
                if (link is null || string.IsNullOrWhiteSpace(link.Title))
                {
                    errors.Add($"{where}: field 'links' item {l + 1} has no 'title'");
                }

                if (!Uri.TryCreate(link?.Url?.Trim(), UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
                {
                    errors.Add($"{where}: field 'links' item {l + 1} has a bad 'url' ('{link?.Url}'); expected an absolute http(s) URL");
                }
                else if (link is not null && !string.IsNullOrWhiteSpace(link.Title))
                {
                    links.Add(new KnowledgeLink(link.Title.Trim(), url));
                }
            }

            if (errors.Count == before)
            {
                result.Add(new KnowledgeEntry
                {
                    Id = id!,
                    Question = dto.Question!.Trim(),
                    Answer = dto.Answer!.Trim(),
                    Phrasings = phrasings.Select(p => p!.Trim()).ToArray(),
                    Department = dto.Department?.Trim(),
                    Links = links,
                });
            }
        }

        return result;
    }

    private static void ApplyPhrasings(List<PhrasingDto?>? dtos, string sourceName, List<KnowledgeEntry> entries, List<string> errors)
    {
        if (dtos is null)
        {
            return;
        }

        for (var i = 0; i < dtos.Count; i++)
        {
            var dto = dtos[i];
            var where = $"{sourceName}: phrasing #{i + 1}";
            var index = entries.FindIndex(e => string.Equals(e.Id, dto?.Entry?.Trim(), StringComparison.OrdinalIgnoreCase));
            if (index < 0)
            {
                errors.Add($"{where}: field 'entry' ('{dto?.Entry}') names no entry");
                continue;
            }

            if (string.IsNullOrWhiteSpace(dto!.Text))
            {
                errors.Add($"{where} (entry '{dto.Entry}'): field 'text' is empty");
                continue;
            }

            var e = entries[index];
            entries[index] = new KnowledgeEntry
            {
                Id = e.Id,
                Question = e.Question,
                Answer = e.Answer,
                Phrasings = [.. e.Phrasings, dto.Text.Trim()],
                Department = e.Department,
                Links = e.Links,
                AddedByStaff = e.AddedByStaff,
            };
        }
    }

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex IdPattern();

    internal sealed class OverlayFile
    {
        public List<EntryDto?>? Entries { get; set; }

        public List<PhrasingDto?>? Phrasings { get; set; }
    }

    internal sealed class EntryDto
    {
        public string? Id { get; set; }

        public string? Department { get; set; }

        public string? Question { get; set; }

        public string? Answer { get; set; }

        public List<string?>? Phrasings { get; set; }

        public List<LinkDto?>? Links { get; set; }
    }

    internal sealed class LinkDto
    {
        public string? Title { get; set; }

        public string? Url { get; set; }
    }

    internal sealed class PhrasingDto
    {
        public string? Entry { get; set; }

        public string? Text { get; set; }
    }
}
