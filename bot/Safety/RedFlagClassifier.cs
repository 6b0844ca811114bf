using System.Numerics;
using System.Runtime.InteropServices;

namespace ClinicBot.Bot.Safety;

/// <summary>
/// A multinomial logistic regression over a sentence embedding and the message's hashed words
/// (<see cref="LexicalFeatures"/>): four classes (no red flag, emergency, crisis, violence). Trained here rather than
/// with ML.NET because the model is small, the training has to be deterministic run to run, and the classes need
/// weights (a missed red flag costs far more than a check-in). Prediction is a few dot products and a softmax; the
/// instance is immutable and thread-safe.
/// </summary>
internal sealed class RedFlagClassifier
{
    /// <summary>Class order of <see cref="Predict"/>: none, emergency, crisis, violence.</summary>
    public const int ClassCount = 4;

    private readonly float[][] _weights;
    private readonly float[][] _lexicalWeights;
    private readonly float[] _biases;
    private readonly float _lexicalValue;

    private RedFlagClassifier(float[][] weights, float[][] lexicalWeights, float[] biases, float lexicalValue)
    {
        _weights = weights;
        _lexicalWeights = lexicalWeights;
        _biases = biases;
        _lexicalValue = lexicalValue;
    }

    /// <summary>
    /// Full-batch gradient descent with momentum on the class-weighted cross-entropy plus an L2 penalty; the same
    /// examples in the same order always give the same weights.
    /// </summary>
    public static RedFlagClassifier Train(IReadOnlyList<RedFlagExample> examples, RedFlagTrainingSettings settings)
    {
        ArgumentNullException.ThrowIfNull(examples);
        ArgumentNullException.ThrowIfNull(settings);
        if (examples.Count == 0)
        {
            throw new ArgumentException("The red-flag classifier needs training examples.", nameof(examples));
        }

        var dimensions = examples[0].Embedding.Length;
        var lexicalValue = (float)settings.LexicalValue;
        var learningRate = (float)settings.LearningRate;
        var momentum = (float)settings.Momentum;
        var l2 = (float)settings.L2;
        var lexicalL2 = (float)settings.LexicalL2;
        var weights = Rows(dimensions);
        var velocity = Rows(dimensions);
        var gradient = Rows(dimensions);
        var lexical = Rows(LexicalFeatures.Buckets);
        var lexicalVelocity = Rows(LexicalFeatures.Buckets);
        var lexicalGradient = Rows(LexicalFeatures.Buckets);
        var biases = new float[ClassCount];
        var biasVelocity = new float[ClassCount];
        var biasGradient = new float[ClassCount];
        Span<double> probabilities = stackalloc double[ClassCount];

        var totalWeight = examples.Sum(e => settings.ClassWeights[e.Label]);
        for (var epoch = 0; epoch < settings.Epochs; epoch++)
        {
            Clear(gradient);
            Clear(lexicalGradient);
            Array.Clear(biasGradient);
            foreach (var (label, features, words) in examples)
            {
                Scores(weights, lexical, biases, lexicalValue, features, words, probabilities);
                var weight = settings.ClassWeights[label] / totalWeight;
                for (var c = 0; c < ClassCount; c++)
                {
                    var error = (float)(weight * (probabilities[c] - (c == label ? 1 : 0)));
                    biasGradient[c] += error;
                    AddScaled(gradient[c], features, error);
                    foreach (var w in words)
                    {
                        lexicalGradient[c][w] += error * lexicalValue;
                    }
                }
            }

            for (var c = 0; c < ClassCount; c++)
            {
                biasVelocity[c] = (momentum * biasVelocity[c]) - (learningRate * biasGradient[c]);
                biases[c] += biasVelocity[c];
                Step(weights[c], velocity[c], gradient[c], l2, momentum, learningRate);
                Step(lexical[c], lexicalVelocity[c], lexicalGradient[c], lexicalL2, momentum, learningRate);
            }
        }

        return new RedFlagClassifier(weights, lexical, biases, lexicalValue);
    }

    /// <summary>Class probabilities (none, emergency, crisis, violence) for one message's embedding and words.</summary>
    public void Predict(ReadOnlySpan<float> features, ReadOnlySpan<int> words, Span<double> probabilities) =>
        Scores(_weights, _lexicalWeights, _biases, _lexicalValue, features, words, probabilities);

    private static void Scores(float[][] weights, float[][] lexical, float[] biases, float lexicalValue, ReadOnlySpan<float> features, ReadOnlySpan<int> words, Span<double> probabilities)
    {
        var max = double.NegativeInfinity;
        for (var c = 0; c < ClassCount; c++)
        {
            double score = biases[c] + Dot(weights[c], features);
            var row = lexical[c];
            foreach (var word in words)
            {
                score += row[word] * lexicalValue;
            }

            probabilities[c] = score;
            max = Math.Max(max, score);
        }

        var sum = 0.0;
        for (var c = 0; c < ClassCount; c++)
        {
            probabilities[c] = Math.Exp(probabilities[c] - max);
            sum += probabilities[c];
        }

        for (var c = 0; c < ClassCount; c++)
        {
            probabilities[c] /= sum;
        }
    }

    private static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var length = Math.Min(a.Length, b.Length);
        var sum = Vector<float>.Zero;
        var i = 0;
        var va = MemoryMarshal.Cast<float, Vector<float>>(a[..length]);
        var vb = MemoryMarshal.Cast<float, Vector<float>>(b[..length]);
        for (; i < va.Length; i++)
        {
            sum += va[i] * vb[i];
        }

        var total = Vector.Sum(sum);
        for (i *= Vector<float>.Count; i < length; i++)
        {
            total += a[i] * b[i];
        }

        return total;
    }

    private static void AddScaled(Span<float> target, ReadOnlySpan<float> source, float scale)
    {
        var vt = MemoryMarshal.Cast<float, Vector<float>>(target);
        var vs = MemoryMarshal.Cast<float, Vector<float>>(source);
        var i = 0;
        for (; i < vt.Length && i < vs.Length; i++)
        {
            vt[i] += vs[i] * scale;
        }

        for (i *= Vector<float>.Count; i < target.Length && i < source.Length; i++)
        {
            target[i] += source[i] * scale;
        }
    }

    // velocity = momentum·velocity − rate·(gradient + l2·weights); weights += velocity.
    private static void Step(Span<float> weights, Span<float> velocity, ReadOnlySpan<float> gradient, float l2, float momentum, float rate)
    {
        var vw = MemoryMarshal.Cast<float, Vector<float>>(weights);
        var vv = MemoryMarshal.Cast<float, Vector<float>>(velocity);
        var vg = MemoryMarshal.Cast<float, Vector<float>>(gradient);
        var i = 0;
        for (; i < vw.Length; i++)
        {
            vv[i] = (vv[i] * momentum) - ((vg[i] + (vw[i] * l2)) * rate);
            vw[i] += vv[i];
        }

        for (i *= Vector<float>.Count; i < weights.Length; i++)
        {
            velocity[i] = (velocity[i] * momentum) - ((gradient[i] + (weights[i] * l2)) * rate);
            weights[i] += velocity[i];
        }
    }

    private static float[][] Rows(int length) => Enumerable.Range(0, ClassCount).Select(_ => new float[length]).ToArray();

    private static void Clear(float[][] rows)
    {
        foreach (var row in rows)
        {
            Array.Clear(row);
        }
    }
}

/// <summary>One training message: its class (none, emergency, crisis, violence), embedding and hashed words.</summary>
internal readonly record struct RedFlagExample(int Label, float[] Embedding, int[] Words);

/// <param name="ClassWeights">Weight of an example of each class (none, emergency, crisis, violence) in the loss.</param>
/// <param name="LexicalValue">The value of a present word feature (0 leaves the words out).</param>
/// <remarks>Chosen on the tuning half of the labelled set (tools/Evaluate -- --safety; docs/safety.md has the sweep).</remarks>
internal sealed record RedFlagTrainingSettings(double LearningRate, double Momentum, double L2, int Epochs, double[] ClassWeights, double LexicalValue, double LexicalL2)
{
    public static RedFlagTrainingSettings Default { get; } = new(LearningRate: 2.0, Momentum: 0.9, L2: 1e-4, Epochs: 600, ClassWeights: [1.0, 1.5, 1.5, 1.5], LexicalValue: 0.5, LexicalL2: 1e-4);
}
