using PerfTest.ControlPlane.Hosting;

WebApplication app;
try
{
    app = ControlPlaneHost.Build(args);
}
catch (InvalidOperationException e)
{
    // A configuration rule is broken (an http:// Executors:GrpcUrl with Executors:Tls, an unreadable certificate...).
    await Console.Error.WriteLineAsync(e.Message);
    return 2;
}
await ControlPlaneHost.MigrateAsync(app);
await app.RunAsync();
return Environment.ExitCode; // 2 when CheckExposure refused to run
