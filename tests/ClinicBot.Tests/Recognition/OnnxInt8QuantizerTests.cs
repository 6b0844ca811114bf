using ClinicBot.Bot.Recognition;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Onnx;

namespace ClinicBot.Tests.Recognition;

public sealed class OnnxInt8QuantizerTests
{
    private const int Inputs = 24;
    private const int Hidden = 16;
    private const int Outputs = 8;

    [Theory]
    [InlineData(8)]
    [InlineData(7)]
    public void Every_weight_is_within_half_a_step_of_its_column_scale(int bits)
    {
        var random = new Random(7);
        const int rows = 40, columns = 9;
        var weights = new float[rows * columns];
        for (var i = 0; i < weights.Length; i++)
        {
            // Column 4 is all zeros; the others differ in range by orders of magnitude.
            var column = i % columns;
            weights[i] = column == 4 ? 0 : (float)((random.NextDouble() - 0.5) * Math.Pow(10, column - 4));
        }

        var (values, scales) = OnnxInt8Quantizer.QuantizePerColumn(weights, rows, columns, bits);

        var largest = (1 << (bits - 1)) - 1;
        for (var column = 0; column < columns; column++)
        {
            var quantized = Enumerable.Range(0, rows).Select(row => (int)values[(row * columns) + column]).ToArray();
            Assert.All(quantized, q => Assert.InRange(q, -largest, largest));
            if (column == 4)
            {
                Assert.All(quantized, q => Assert.Equal(0, q));
                continue;
            }

            Assert.Equal(largest, quantized.Max(Math.Abs)); // the column's largest weight uses the whole range
            for (var row = 0; row < rows; row++)
            {
                var original = weights[(row * columns) + column];
                Assert.True(Math.Abs((quantized[row] * scales[column]) - original) <= (scales[column] / 2) * 1.0001f, $"row {row}, column {column}");
            }
        }
    }

    [Fact]
    public void The_quantized_model_computes_what_the_float_model_does()
    {
        var model = TwoLayerModel();
        var input = RandomInput(rows: 5, seed: 1);

        var expected = Run(model, input, 5);
        var actual = Run(Quantized(model, 8, out var products), input, 5);

        Assert.Equal(3, products);
        var largest = expected.Max(Math.Abs);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(actual[i] - expected[i]) < 0.02f * largest, $"output {i}: {actual[i]} vs {expected[i]} (largest {largest})");
        }
    }

    [Fact]
    public void A_row_computes_the_same_whatever_else_is_in_the_batch()
    {
        var quantized = Quantized(TwoLayerModel(), 8, out _);
        var row = RandomInput(rows: 1, seed: 2);

        // A batch-wide activation scale would be set by the second row's outliers and coarsen the first row.
        var other = RandomInput(rows: 1, seed: 3).Select(v => v * 1000).ToArray();
        var alone = Run(quantized, row, 1);
        var batched = Run(quantized, [.. row, .. other], 2);

        Assert.Equal(alone, batched[..Outputs]);
    }

    [Fact]
    public void Products_share_one_quantized_activation_and_only_constant_weights_are_quantized()
    {
        var model = TwoLayerModel();
        var graph = model.Graph;

        // A weight the caller may override (a graph input too) is not a constant.
        var overridable = FloatTensor("overridable", Hidden, Outputs, seed: 9);
        graph.Initializer.Add(overridable);
        graph.Input.Add(new ValueInfoProto { Name = "overridable" });
        graph.Node.Add(Node("MatMul", ["hidden", "overridable"], "y3"));

        // A weight also read by another node stays float for that node.
        graph.Node.Add(Node("Add", ["w2", "w2"], "w2_doubled"));

        var rewritten = Quantized(model, 8, out var products).Graph;

        Assert.Equal(3, products);
        Assert.Equal(2, rewritten.Node.Count(n => n.OpType == "Abs")); // one per distinct input: "x" (two products) and "hidden"
        Assert.Equal(3, rewritten.Node.Count(n => n.OpType == "MatMulInteger"));
        var stillFloat = Assert.Single(rewritten.Node, n => n.OpType == "MatMul");
        Assert.Equal("overridable", stillFloat.Input[1]);
        Assert.Contains(rewritten.Initializer, i => i.Name == "w2");
        Assert.DoesNotContain(rewritten.Initializer, i => i.Name is "w1" or "w1b");
    }

    [Fact]
    public void A_model_older_than_opset_11_is_left_as_it_is()
    {
        var model = TwoLayerModel();
        model.OpsetImport[0].Version = 10;

        var rewritten = Quantized(model, 8, out var products);

        Assert.Equal(0, products);
        Assert.Equal(model.Graph.Node.Select(n => n.OpType), rewritten.Graph.Node.Select(n => n.OpType));
    }

    /// <summary>y = relu(x·W1)·W2 + x·W1b: three products, two of them reading x.</summary>
    private static ModelProto TwoLayerModel()
    {
        var graph = new GraphProto { Name = "two-layer" };
        graph.Input.Add(FloatInfo("x", Inputs));
        graph.Output.Add(FloatInfo("y", Outputs));
        graph.Initializer.Add(FloatTensor("w1", Inputs, Hidden, seed: 4));
        graph.Initializer.Add(FloatTensor("w1b", Inputs, Outputs, seed: 5));
        graph.Initializer.Add(FloatTensor("w2", Hidden, Outputs, seed: 6));
        graph.Node.Add(Node("MatMul", ["x", "w1"], "pre"));
        graph.Node.Add(Node("Relu", ["pre"], "hidden"));
        graph.Node.Add(Node("MatMul", ["hidden", "w2"], "y2"));
        graph.Node.Add(Node("MatMul", ["x", "w1b"], "y1b"));
        graph.Node.Add(Node("Add", ["y2", "y1b"], "y"));
        var model = new ModelProto { IrVersion = 7, Graph = graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 13 });
        return model;
    }

    private static ModelProto Quantized(ModelProto model, int bits, out int products)
    {
        using var input = new MemoryStream(model.ToByteArray());
        using var output = new MemoryStream();
        products = OnnxInt8Quantizer.Quantize(input, output, bits);
        return ModelProto.Parser.ParseFrom(output.ToArray());
    }

    private static float[] Run(ModelProto model, float[] input, int rows)
    {
        using var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        using var session = new InferenceSession(model.ToByteArray(), options);
        using var results = session.Run([NamedOnnxValue.CreateFromTensor("x", new DenseTensor<float>(input, [rows, Inputs]))]);
        return ((DenseTensor<float>)results[0].Value).Buffer.ToArray();
    }

    private static float[] RandomInput(int rows, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, rows * Inputs).Select(_ => (float)(random.NextDouble() * 2) - 1).ToArray();
    }

    private static TensorProto FloatTensor(string name, int rows, int columns, int seed)
    {
        var random = new Random(seed);
        var values = Enumerable.Range(0, rows * columns).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
        tensor.Dims.Add(rows);
        tensor.Dims.Add(columns);
        tensor.RawData = ByteString.CopyFrom(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()));
        return tensor;
    }

    private static ValueInfoProto FloatInfo(string name, int columns)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = "rows" });
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = columns });
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape } },
        };
    }

    private static NodeProto Node(string operation, string[] inputs, string output)
    {
        var node = new NodeProto { OpType = operation, Name = output };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        return node;
    }
}
