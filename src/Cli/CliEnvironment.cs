using Spectre.Console;

namespace PerfTest.Cli;

/// <summary>
/// What a command reads and writes besides the API: environment variables, its two streams and whether standard
/// output is a terminal. Tests run the CLI in-process with their own writers and variables.
/// </summary>
public sealed class CliEnvironment
{
    public required Func<string, string?> Variable { get; init; }
    public required TextWriter Out { get; init; }
    public required TextWriter Error { get; init; }

    /// <summary>A terminal gets the live view; anything else one plain line per second.</summary>
    public required bool IsTerminal { get; init; }

    /// <summary>Spectre's console over <see cref="Out"/> (colours and live rendering only on a terminal).</summary>
    public IAnsiConsole Console => _console ??= CreateConsole();

    private IAnsiConsole? _console;

    private IAnsiConsole CreateConsole()
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(Out),
            Ansi = IsTerminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = IsTerminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = IsTerminal ? InteractionSupport.Yes : InteractionSupport.No,
        });
        if (!IsTerminal)
        {
            // A log has no width: 80 columns would wrap the summary's table.
            console.Profile.Width = 160;
        }
        return console;
    }

    public static CliEnvironment FromProcess() => new()
    {
        Variable = Environment.GetEnvironmentVariable,
        Out = System.Console.Out,
        Error = System.Console.Error,
        IsTerminal = !System.Console.IsOutputRedirected,
    };
}
