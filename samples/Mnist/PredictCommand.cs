using System.CommandLine;
using System.Globalization;
using AutoGrad.NN;
using Spectre.Console;

namespace Mnist;

/// <summary><c>predict</c>: shows a test digit in the terminal with the model's prediction and class probabilities.</summary>
internal static class PredictCommand
{
    public static Command Create()
    {
        var command = new Command("predict", "Show a test digit, the predicted class and the probability of each class.");
        var common = new CommonOptions();
        common.AddTo(command);
        var index = OptionKinds.Integer("--index", "Which test image, from 0.", 0, minimum: 0);
        command.Options.Add(index);
        command.SetAction(parse => Output.Run(() =>
        {
            var (model, data) = EvaluateCommand.Load(parse, common);
            var test = data.Set.Test;
            int i = parse.GetValue(index);
            if (i < 0 || i >= test.Count) throw new ArgumentException($"--index {i} is past the last of the {test.Count:N0} test images of {data.Name}; give 0 to {test.Count - 1}.");
            var image = test.Images.Image(i);
            var probabilities = new float[model.OutputSize];
            int predicted = new Evaluator(model, batchSize: 1).Probabilities(image, probabilities);
            Show(image, test.Images.Rows, test.Images.Columns, i, test.Labels[i], predicted, probabilities);
            return 0;
        }));
        return command;
    }

    private static void Show(ReadOnlySpan<float> image, int rows, int columns, int index, int label, int predicted, float[] probabilities)
    {
        string verdict = predicted == label ? "correct" : "wrong";
        if (Output.IsInteractive)
        {
            var canvas = new Canvas(columns, rows) { Scale = true };
            for (int y = 0; y < rows; y++)
            {
                for (int x = 0; x < columns; x++)
                {
                    byte level = (byte)(255 * image[y * columns + x]);
                    canvas.SetPixel(x, y, new Color(level, level, level));
                }
            }
            var chart = new BarChart().Width(50).Label($"test digit {index}: label {label}, predicted [bold]{predicted}[/] ({verdict})");
            for (int c = 0; c < probabilities.Length; c++)
                chart.AddItem(c.ToString(CultureInfo.InvariantCulture), Math.Round(probabilities[c], 4), c == predicted ? Color.Green : Color.Grey);
            AnsiConsole.Write(new Columns(canvas, chart));
            return;
        }
        // Plain text: two characters per pixel keep the digit's proportions; shade by intensity.
        const string shades = " .:-=+*#%@";
        for (int y = 0; y < rows; y++)
        {
            var line = new char[columns * 2];
            for (int x = 0; x < columns; x++)
            {
                char shade = shades[Math.Min(shades.Length - 1, (int)(image[y * columns + x] * shades.Length))];
                line[2 * x] = line[2 * x + 1] = shade;
            }
            System.Console.WriteLine(new string(line).TrimEnd());
        }
        System.Console.WriteLine($"test digit {index}: label {label}, predicted {predicted} ({verdict})");
        for (int c = 0; c < probabilities.Length; c++)
            System.Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {c}: {probabilities[c],7:P2} {new string('#', (int)Math.Round(probabilities[c] * 40))}"));
    }
}
