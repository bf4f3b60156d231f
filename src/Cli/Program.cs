using PerfTest.Cli;

// Ctrl-C (SIGINT) cancels the command's token instead of killing the process, so a followed run is stopped through the API
// first; a second Ctrl-C ends the process at once.
using var interrupt = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    if (!interrupt.IsCancellationRequested)
    {
        e.Cancel = true;
        interrupt.Cancel();
    }
};
// SIGTERM (a CI job cancelled) is handled as Ctrl-C: the run is stopped rather than left running.
using var terminate = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, context =>
{
    context.Cancel = true;
    interrupt.Cancel();
});
return await CliApp.RunAsync(args, CliEnvironment.FromProcess(), interrupt.Token);
