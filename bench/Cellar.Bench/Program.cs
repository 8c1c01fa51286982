using BenchmarkDotNet.Running;

// Micro-benchmarks: dotnet run -c Release --project bench/Cellar.Bench -- --filter '*'
// Side-by-side comparisons with restic and mariadb-dump live in bench/*.sh.
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
