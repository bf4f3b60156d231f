namespace PerfTest.ControlPlane.Api;

/// <summary>
/// A failure the client can act on. Thrown anywhere below an endpoint and turned into the
/// documented error body <c>{"error_code","error_msg"}</c> by <see cref="ApiErrorMiddleware"/>.
/// </summary>
public sealed class ApiException(int status, string errorCode, string message) : Exception(message)
{
    public int Status { get; } = status;
    public string ErrorCode { get; } = errorCode;

    public static ApiException BadRequest(string message) => new(400, ErrorCodes.InvalidParameter, message);
    public static ApiException MalformedJson(string message) => new(400, ErrorCodes.MalformedBody, message);
    public static ApiException NotFound(string what, long id) => new(404, ErrorCodes.NotFound, $"{what} {id} does not exist");
    public static ApiException Conflict(string message) => new(409, ErrorCodes.Conflict, message);
    public static ApiException Unauthorized(string message) => new(401, ErrorCodes.Unauthorized, message);
    public static ApiException Forbidden(string message) => new(403, ErrorCodes.Forbidden, message);
}
