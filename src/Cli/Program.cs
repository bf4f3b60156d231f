using PerfTest.Cli;

// Ctrl-C cancels the command's token instead of killing the process, so a followed run is stopped through the API
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
return await CliApp.RunAsync(args, CliEnvironment.FromProcess(), interrupt.Token);
