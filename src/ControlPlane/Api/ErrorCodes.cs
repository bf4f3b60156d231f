namespace PerfTest.ControlPlane.Api;

/// <summary>Error codes of this service; docs/errors.md lists them with their meaning.</summary>
public static class ErrorCodes
{
    public const string Success = "SVCSTG.CPTS.0000000";
    public const string MalformedBody = "CPTS.04000001";
    public const string InvalidParameter = "CPTS.04000002";
    public const string QuotaExceeded = "CPTS.04000003";
    public const string Unauthorized = "CPTS.04010001";
    public const string Forbidden = "CPTS.04030001";
    public const string NotFound = "CPTS.04040001";
    public const string MethodNotAllowed = "CPTS.04050001";
    public const string Conflict = "CPTS.04090001";
    public const string PayloadTooLarge = "CPTS.04130001";
    public const string UnsupportedMediaType = "CPTS.04150001";
    public const string TooManyRequests = "CPTS.04290001";
    public const string Unknown = "CPTS.05001001";
    public const string StoreUnavailable = "CPTS.05030001";
}
