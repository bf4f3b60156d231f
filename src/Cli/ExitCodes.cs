namespace PerfTest.Cli;

/// <summary>The process exit codes of every command (docs/cli.md, "Exit codes"): a pipeline branches on them.</summary>
public static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>Bad arguments or a bad file: nothing was asked of the API.</summary>
    public const int Usage = 2;

    /// <summary>The API refused a request (an error body), the endpoint did not answer, or the run failed or stopped abnormally.</summary>
    public const int Failed = 3;

    /// <summary>The run ended and at least one threshold broke.</summary>
    public const int ThresholdBroken = 99;

    /// <summary>Interrupted (Ctrl-C): the run was stopped through the API first.</summary>
    public const int Interrupted = 130;
}

/// <summary>A failure that ends the command with <see cref="Code"/> and its message on standard error.</summary>
public sealed class CliException(int code, string message) : Exception(message)
{
    public int Code { get; } = code;

    public static CliException Usage(string message) => new(ExitCodes.Usage, message);
}
