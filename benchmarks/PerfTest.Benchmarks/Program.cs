using BenchmarkDotNet.Running;

// dotnet run -c Release --project benchmarks/PerfTest.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
