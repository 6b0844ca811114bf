using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace ClinicBot.Tests.Deployment;

/// <summary>
/// The Azure templates in deploymentTemplates/ build and lint cleanly with the pinned bicep CLI
/// (scripts/bicep.sh), the docs name every parameter, and the example parameters file holds no secret.
/// </summary>
public sealed class BicepTemplateTests
{
    private const string MainTemplate = "deploymentTemplates/main.bicep";

    [Fact]
    public void Templates_build_and_lint_without_warnings_or_errors()
    {
        if (!OperatingSystem.IsLinux() || System.Runtime.InteropServices.RuntimeInformation.OSArchitecture
                != System.Runtime.InteropServices.Architecture.X64)
        {
            // scripts/bicep.sh fetches the linux-x64 CLI package; CI runs on linux-x64.
            return;
        }

        var (exitCode, output) = Run("bash", "scripts/bicep.sh", TimeSpan.FromMinutes(5));

        Assert.True(exitCode == 0, $"scripts/bicep.sh exited {exitCode}:\n{output}");
        var diagnostics = output.Split('\n')
            .Where(line => Regex.IsMatch(line, @":\s*(Warning|Error)\s", RegexOptions.CultureInvariant))
            .ToList();
        Assert.True(diagnostics.Count == 0, "bicep reported:\n" + string.Join('\n', diagnostics));
        Assert.Contains("build and lint passed", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_main_bicep_parameter_is_named_in_docs_deploy_md()
    {
        var parameters = RepositoryFiles.BicepParameters(MainTemplate);
        Assert.NotEmpty(parameters);
        var docs = File.ReadAllText(RepositoryFiles.PathOf("docs/deploy.md"));

        // Each parameter must appear as `name` in a table row of docs/deploy.md.
        var documented = new HashSet<string>(
            Regex.Matches(docs, @"^\|\s*`([A-Za-z0-9_]+)`", RegexOptions.Multiline | RegexOptions.CultureInvariant)
                .Select(m => m.Groups[1].Value),
            StringComparer.Ordinal);
        var missing = parameters.Select(p => p.Name).Where(name => !documented.Contains(name)).ToList();

        Assert.True(missing.Count == 0, "docs/deploy.md has no table row for: " + string.Join(", ", missing));
    }

    [Fact]
    public void Docs_table_names_no_parameter_that_main_bicep_lacks()
    {
        var parameters = RepositoryFiles.BicepParameters(MainTemplate).Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        var docs = File.ReadAllText(RepositoryFiles.PathOf("docs/deploy.md"));
        var table = docs[docs.IndexOf("## Parameters", StringComparison.Ordinal)..];
        var nextSection = table.IndexOf("\n## ", 3, StringComparison.Ordinal);
        if (nextSection > 0)
        {
            table = table[..nextSection];
        }

        var stale = Regex.Matches(table, @"^\|\s*`([A-Za-z0-9_]+)`", RegexOptions.Multiline | RegexOptions.CultureInvariant)
            .Select(m => m.Groups[1].Value)
            .Where(name => !parameters.Contains(name))
            .ToList();

        Assert.True(stale.Count == 0, "docs/deploy.md's parameter table names parameters main.bicep lacks: " + string.Join(", ", stale));
    }

    [Fact]
    public void Example_parameters_file_names_only_real_parameters_and_no_secrets()
    {
        var parameters = RepositoryFiles.BicepParameters(MainTemplate);
        var byName = parameters.ToDictionary(p => p.Name, p => p.Secure, StringComparer.Ordinal);
        Assert.Contains(parameters, p => p.Secure);

        using var json = JsonDocument.Parse(File.ReadAllText(RepositoryFiles.PathOf("deploymentTemplates/main.parameters.json")));
        foreach (var property in json.RootElement.GetProperty("parameters").EnumerateObject())
        {
            Assert.True(byName.ContainsKey(property.Name), $"main.parameters.json sets unknown parameter {property.Name}");
            Assert.False(byName[property.Name], $"main.parameters.json sets the secure parameter {property.Name}");
        }
    }

    [Fact]
    public void Secure_parameters_have_no_default_but_empty()
    {
        var text = File.ReadAllText(RepositoryFiles.PathOf(MainTemplate));
        foreach (var (name, secure) in RepositoryFiles.BicepParameters(MainTemplate).Where(p => p.Secure))
        {
            var declaration = Regex.Match(text, $@"^param\s+{name}\s+string(\s*=\s*(?<default>.*))?$",
                RegexOptions.Multiline | RegexOptions.CultureInvariant);
            Assert.True(declaration.Success, $"secure parameter {name} is not a string");
            var defaultValue = declaration.Groups["default"].Value.Trim();
            Assert.True(defaultValue is "" or "''", $"secure parameter {name} has a default: {defaultValue}");
        }
    }

    private static (int ExitCode, string Output) Run(string fileName, string arguments, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(fileName, arguments)
        {
            WorkingDirectory = RepositoryFiles.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // The test host's MSBuild variables would otherwise leak into the nested `dotnet restore`.
        foreach (var variable in new[] { "MSBuildExtensionsPath", "MSBuildSDKsPath", "MSBUILD_EXE_PATH" })
        {
            start.Environment.Remove(variable);
        }

        using var process = new Process { StartInfo = start };
        var output = new StringBuilder();
        var gate = new object();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (gate) { output.AppendLine(e.Data); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (gate) { output.AppendLine(e.Data); } } };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            return (-1, $"timed out after {timeout}\n{output}");
        }
        process.WaitForExit();
        lock (gate)
        {
            return (process.ExitCode, output.ToString());
        }
    }
}
