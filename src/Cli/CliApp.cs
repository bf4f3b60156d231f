using System.CommandLine;
using PerfTest.Cli.Apply;
using PerfTest.Cli.Commands;
using PerfTest.Cli.Http;
using PerfTest.Cli.Runs;

namespace PerfTest.Cli;

/// <summary>The <c>perftest</c> command line: parses, runs one command, maps every failure to its exit code.</summary>
public static class CliApp
{
    /// <param name="args">The command line.</param>
    /// <param name="env">Environment variables, output streams, terminal or not.</param>
    /// <param name="interrupt">Cancelled on Ctrl-C (SIGINT): a followed run is stopped, then the exit code is 130.</param>
    public static async Task<int> RunAsync(string[] args, CliEnvironment env, CancellationToken interrupt = default)
    {
        var globals = new Globals(env);
        var root = new RootCommand("perftest: apply, run and report CodeArts PerfTest tests");
        globals.AddTo(root);
        root.Subcommands.Add(ApplyCommand.Create(globals));
        root.Subcommands.Add(RunCommand.Create(globals));
        root.Subcommands.Add(ReportCommand.Create(globals));
        root.Subcommands.Add(LsCommand.Create(globals));
        root.Subcommands.Add(StopCommand.Create(globals));

        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                await env.Error.WriteLineAsync($"error: {error.Message}");
            }
            await env.Error.WriteLineAsync("see perftest --help");
            return ExitCodes.Usage;
        }
        try
        {
            var config = new InvocationConfiguration { Output = env.Out, Error = env.Error, ProcessTerminationTimeout = null, EnableDefaultExceptionHandler = false };
            return await parse.InvokeAsync(config, interrupt);
        }
        catch (CliException e)
        {
            await env.Error.WriteLineAsync($"error: {e.Message}");
            return e.Code;
        }
        catch (ApiException e)
        {
            await env.Error.WriteLineAsync($"error: {e.Message}");
            return ExitCodes.Failed;
        }
        catch (OperationCanceledException) when (interrupt.IsCancellationRequested)
        {
            await env.Error.WriteLineAsync("interrupted");
            return ExitCodes.Interrupted;
        }
    }
}
