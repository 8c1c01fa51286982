namespace Cellar.Cells;

/// <summary>One <c>--path-map CONFIG_PATH=HOST_PATH</c>: where this host sees what the configuration (e.g. a container) calls <see cref="ConfigPath"/>.</summary>
public sealed record PathMapping(string ConfigPath, string HostPath)
{
    public override string ToString() => ConfigPath + "=" + HostPath;
}
