using System.Diagnostics;
using ClinicBot.Bot.Storage;
using ClinicBot.Bot.Storage.Cosmos;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Options;

namespace ClinicBot.Tests.Storage;

/// <summary>Every test class that talks to the local Cosmos DB-compatible server joins this collection.</summary>
[CollectionDefinition(Name)]
public sealed class CosmosServerCollection : ICollectionFixture<CosmosServerFixture>
{
    public const string Name = "Cosmos server";
}

/// <summary>
/// The local Cosmos DB-compatible server (@vercel/cosmosdb-server through scripts/cosmos-server/launch.js).
/// </summary>
/// <remarks>
/// Reuses the server named by <c>CLINICBOT_COSMOS_ENDPOINT</c> (scripts/test.sh starts one and exports it);
/// otherwise starts one with scripts/cosmos-server/start.sh and stops it on dispose, so <c>dotnet test</c> alone
/// works wherever Node.js and npm are installed. If the server cannot be started the fixture throws, and every
/// Cosmos test fails with that message: these tests are never skipped.
/// </remarks>
public sealed class CosmosServerFixture : IDisposable
{
    /// <summary>Environment variable with the endpoint of an already running server.</summary>
    public const string EndpointVariable = "CLINICBOT_COSMOS_ENDPOINT";

    // Any base64 key signs requests; the local server does not check signatures.
    private const string TestKey = "C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==";

    private readonly string? _stateDirectory;
    private readonly string? _stopScript;
    private readonly List<IDisposable> _owned = [];
    private readonly Dictionary<string, CosmosContainers> _shared = [];
    private readonly System.Security.Cryptography.X509Certificates.X509Certificate2 _serverCertificate;

    public CosmosServerFixture()
    {
        // The .NET SDK plans queries with its native interop library only when this is set on Linux.
        Environment.SetEnvironmentVariable("AZURE_COSMOS_USE_QUERY_PLAN_INTEROP_LINUX", "true");

        var scripts = Path.Combine(FindRepositoryRoot(), "scripts", "cosmos-server");
        var endpoint = Environment.GetEnvironmentVariable(EndpointVariable);
        if (string.IsNullOrWhiteSpace(endpoint))
        {
            _stateDirectory = Directory.CreateTempSubdirectory("clinicbot-cosmos-").FullName;
            _stopScript = Path.Combine(scripts, "stop.sh");
            endpoint = Start(Path.Combine(scripts, "start.sh"), _stateDirectory);
        }

        Endpoint = new Uri(endpoint.Trim());
        _serverCertificate = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(
            File.ReadAllText(Path.Combine(scripts, "node_modules", "@vercel", "cosmosdb-server", "cert.pem")));
        _owned.Add(_serverCertificate);
        Client = CreateClient();
        _owned.Add(Client);
    }

    /// <summary>The server's endpoint.</summary>
    public Uri Endpoint { get; }

    /// <summary>A client for the server: gateway mode, only this endpoint, trusting its self-signed certificate.</summary>
    public CosmosClient Client { get; }

    /// <summary>Options for a fresh database (unique name) on this server.</summary>
    public StorageOptions NewDatabaseOptions() => new()
    {
        Provider = StorageProvider.Cosmos,
        Cosmos = new CosmosStorageOptions
        {
            AccountEndpoint = Endpoint,
            Key = TestKey,
            Database = $"clinicbot-test-{Guid.NewGuid():N}",
            CreateContainers = true,
        },
    };

    /// <summary>Creates a fresh database with ClinicBot's containers.</summary>
    public CosmosContainers CreateContainers()
    {
        var containers = new CosmosContainers(Client, Options.Create(NewDatabaseOptions()));
        containers.InitializeAsync(CancellationToken.None).GetAwaiter().GetResult();
        lock (_owned)
        {
            _owned.Add(containers);
        }

        return containers;
    }

    /// <summary>One database per name for the whole test run (tests that share it use their own keys).</summary>
    public CosmosContainers SharedContainers(string name)
    {
        lock (_shared)
        {
            if (!_shared.TryGetValue(name, out var containers))
            {
                containers = CreateContainers();
                _shared.Add(name, containers);
            }

            return containers;
        }
    }

    /// <summary>
    /// Client options for tests: gateway mode, this endpoint only, and the server's self-signed certificate (the one
    /// the npm package ships) accepted by exact match, in tests only.
    /// </summary>
    public void ConfigureForLocalServer(CosmosClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var pinned = _serverCertificate;
        options.ConnectionMode = ConnectionMode.Gateway;
        options.LimitToEndpoint = true;
        options.HttpClientFactory = () => new HttpClient(new SocketsHttpHandler
        {
            SslOptions =
            {
                RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                    errors == System.Net.Security.SslPolicyErrors.None ||
                    (certificate is not null && certificate.GetCertHashString() == pinned.GetCertHashString()),
            },
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        });
    }

    public CosmosClient CreateClient() => CosmosContainers.CreateClient(
        new CosmosStorageOptions { AccountEndpoint = Endpoint, Key = TestKey },
        ConfigureForLocalServer);

    public void Dispose()
    {
        foreach (var owned in _owned)
        {
            owned.Dispose();
        }

        if (_stopScript is not null && _stateDirectory is not null)
        {
            Run(_stopScript, _stateDirectory, TimeSpan.FromSeconds(30));
            try
            {
                Directory.Delete(_stateDirectory, recursive: true);
            }
            catch (IOException)
            {
                // best effort
            }
        }
    }

    private static string Start(string startScript, string stateDirectory)
    {
        var (exitCode, output, error) = Run(startScript, stateDirectory, TimeSpan.FromMinutes(5));
        if (exitCode != 0 || !Uri.TryCreate(output.Trim(), UriKind.Absolute, out _))
        {
            throw new InvalidOperationException(
                $"The Cosmos DB tests need the local Cosmos DB-compatible server, and it could not be started " +
                $"({startScript} exited with {exitCode}). They need Node.js and npm (apt-get install nodejs npm), or set " +
                $"{EndpointVariable} to a running server's endpoint. Output:\n{output}\n{error}");
        }

        return output.Trim();
    }

    private static (int ExitCode, string Output, string Error) Run(string script, string argument, TimeSpan timeout)
    {
        var startInfo = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        startInfo.ArgumentList.Add(script);
        startInfo.ArgumentList.Add(argument);
        try
        {
            using var process = Process.Start(startInfo)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(timeout))
            {
                process.Kill(entireProcessTree: true);
                return (-1, output.Result, $"timed out after {timeout.TotalSeconds:F0} s. {error.Result}");
            }

            return (process.ExitCode, output.Result, error.Result);
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            return (-1, string.Empty, $"bash could not be run: {ex.Message}");
        }
    }

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "scripts", "cosmos-server", "start.sh")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException(
            $"scripts/cosmos-server/start.sh was not found above {AppContext.BaseDirectory}; set {EndpointVariable} to a running server's endpoint.");
    }
}
