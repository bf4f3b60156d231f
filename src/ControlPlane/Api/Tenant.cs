namespace PerfTest.ControlPlane.Api;

/// <summary>
/// The IAM project id of the request path (<c>{project_id}</c>): the tenant every row is
/// partitioned by. The auth middleware has already checked the caller may use it.
/// </summary>
public static class Tenant
{
    public const string RouteKey = "project_id";

    public static string Of(HttpContext context) =>
        context.GetRouteValue(RouteKey) as string ?? throw ApiException.BadRequest("project_id is required");

    /// <summary>IAM project ids are 1-64 letters, digits, '-' or '_'.</summary>
    public static bool IsWellFormed(string value) =>
        value.Length is > 0 and <= 64 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
}
