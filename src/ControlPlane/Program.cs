using PerfTest.ControlPlane.Hosting;

var app = ControlPlaneHost.Build(args);
await ControlPlaneHost.MigrateAsync(app);
await app.RunAsync();
