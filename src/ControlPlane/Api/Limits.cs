namespace PerfTest.ControlPlane.Api;

/// <summary>Input limits; docs/api.md lists them.</summary>
public static class Limits
{
    public const int Name = 128;
    public const int Description = 2048;
    public const int Text = 65536;
    public const int MaxPageSize = 1000;
    public const long DefaultMaxBodyBytes = 10 * 1024 * 1024;
}
