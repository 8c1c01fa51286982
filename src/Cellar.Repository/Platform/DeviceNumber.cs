namespace Cellar.Repository.Platform;

/// <summary>glibc's encoding of a device number (major, minor) in one 64-bit value, as Go's syscall uses.</summary>
public static class DeviceNumber
{
    public static ulong Make(uint major, uint minor) =>
        ((ulong)(major & 0xFFFFF000u) << 32) | ((ulong)(major & 0xFFFu) << 8) |
        ((ulong)(minor & 0xFFFFFF00u) << 12) | (minor & 0xFFu);

    public static uint Major(ulong device) => (uint)(((device >> 32) & 0xFFFFF000UL) | ((device >> 8) & 0xFFFUL));

    public static uint Minor(ulong device) => (uint)(((device >> 12) & 0xFFFFFF00UL) | (device & 0xFFUL));
}
