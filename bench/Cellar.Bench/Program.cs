using BenchmarkDotNet.Running;
using Cellar.Bench;

// Micro-benchmarks: dotnet run -c Release --project bench/Cellar.Bench -- --filter '*'
// Side-by-side comparisons with restic and mariadb-dump live in bench/*.sh.
SolutionDirectory.EnterIfOutside();
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
