using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace ClinicBot.Dialogs.Handoff;

/// <summary>Finds the department a request belongs to from its wording.</summary>
public sealed class DepartmentRouter
{
    private readonly (Department Department, Regex Pattern)[] _routes;

    public DepartmentRouter(IOptions<HandoffOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _routes = options.Value.Departments
            .Where(d => d.Keywords.Count > 0)
            .Select(d => (d, new Regex(
                @"\b(?:" + string.Join('|', d.Keywords.Select(k => Regex.Escape(k.ToLowerInvariant()).Replace("\\ ", "\\s+", StringComparison.Ordinal))) + @")\b",
                RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.NonBacktracking)))
            .ToArray();
    }

    /// <summary>The department with the most keyword hits, or null when none matches.</summary>
    public Department? Route(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        return _routes
            .Select(r => (r.Department, Hits: r.Pattern.Count(text)))
            .Where(r => r.Hits > 0)
            .OrderByDescending(r => r.Hits)
            .Select(r => r.Department)
            .FirstOrDefault();
    }
}
