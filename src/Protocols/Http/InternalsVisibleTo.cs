using System.Runtime.CompilerServices;

// The parser and writer are internal (the public surface is the connection and the template), but the
// tests feed them split buffers directly and the benchmarks measure them in isolation.
[assembly: InternalsVisibleTo("PerfTest.Protocols.Tests")]
[assembly: InternalsVisibleTo("PerfTest.Benchmarks")]
[assembly: InternalsVisibleTo("PerfTest.Executor.Tests")]
