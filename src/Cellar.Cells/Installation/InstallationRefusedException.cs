namespace Cellar.Cells.Installation;

/// <summary>An installation restore or backup refused before changing anything; the message says why and what to do.</summary>
public sealed class InstallationRefusedException(string message) : Exception(message);
