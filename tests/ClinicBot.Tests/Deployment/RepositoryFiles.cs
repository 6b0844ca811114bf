using System.Text.RegularExpressions;

namespace ClinicBot.Tests.Deployment;

/// <summary>Finds the repository checkout the tests run from and reads the Bicep parameter declarations.</summary>
internal static partial class RepositoryFiles
{
    public static string Root { get; } = FindRoot();

    public static string PathOf(string relative) =>
        Path.Combine(Root, relative.Replace('/', Path.DirectorySeparatorChar));

    /// <summary>Parameters declared in a .bicep file (<c>param name type</c> at the start of a line), with whether
    /// the declaration is marked <c>@secure()</c>.</summary>
    public static IReadOnlyList<(string Name, bool Secure)> BicepParameters(string relativePath)
    {
        var lines = File.ReadAllLines(PathOf(relativePath));
        var result = new List<(string, bool)>();
        var secure = false;
        foreach (var line in lines)
        {
            var trimmed = line.Trim();
            if (trimmed.StartsWith("@secure()", StringComparison.Ordinal))
            {
                secure = true;
                continue;
            }
            var match = ParamLine().Match(line);
            if (match.Success)
            {
                result.Add((match.Groups[1].Value, secure));
                secure = false;
            }
            else if (!trimmed.StartsWith('@') && !trimmed.StartsWith('\'') && !trimmed.StartsWith(']') && trimmed.Length > 0)
            {
                // Decorators (and the lines of multi-line @allowed lists) belong to the next param; anything else resets.
                secure = false;
            }
        }
        return result;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ClinicBot.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"No ClinicBot.sln above {AppContext.BaseDirectory}");
    }

    [GeneratedRegex(@"^param\s+([A-Za-z_][A-Za-z0-9_]*)\s", RegexOptions.CultureInvariant)]
    private static partial Regex ParamLine();
}
