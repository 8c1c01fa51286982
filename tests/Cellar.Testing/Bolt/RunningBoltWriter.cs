using System.Diagnostics;

namespace Cellar.Testing.Bolt;

/// <summary>A boltwriter committing without pause; disposing kills it.</summary>
public sealed class RunningBoltWriter(Process process) : IDisposable
{
    public int ProcessId => process.Id;

    public bool HasExited => process.HasExited;

    public void Dispose()
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill();
                process.WaitForExit();
            }
        }
        finally
        {
            process.Dispose();
        }
    }
}
