using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using PerfTest.ControlPlane.Storage;

namespace PerfTest.ControlPlane.Api;

/// <summary>
/// Turns every failure into the documented error body. Client mistakes become 4xx with a
/// message naming the problem; a store that cannot be used (<see cref="StoreFailure"/>) is 503;
/// anything unexpected is logged and answered with the documented unknown-error code, never with
/// a stack trace.
/// </summary>
public sealed class ApiErrorMiddleware(RequestDelegate next, Database database, ILogger<ApiErrorMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
            if (!context.Response.HasStarted && context.Response.StatusCode >= 400 && context.Response.ContentLength is null
                && context.Response.ContentType is null)
            {
                await WriteStatusOnlyError(context);
            }
        }
        catch (ApiException e)
        {
            await WriteAsync(context, e.Status, e.ErrorCode, e.Message);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            await WriteAsync(context, 413, ErrorCodes.PayloadTooLarge, "request body is larger than the limit of "
                + context.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize + " bytes");
        }
        catch (BadHttpRequestException e)
        {
            await WriteAsync(context, e.StatusCode, ErrorCodes.MalformedBody, e.Message);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; there is nobody to answer.
        }
        catch (Exception e) when (StoreFailure.Describe(e) is { } reason)
        {
            // The pooled connections to a server that went away are dead: drop them, so that once it is
            // back the next request opens fresh ones instead of failing on a stale one.
            database.ForgetPooledConnections();
            logger.LogWarning(e, "{Method} {Path}: {Reason}", context.Request.Method, context.Request.Path, reason);
            await WriteAsync(context, 503, ErrorCodes.StoreUnavailable, reason);
        }
        catch (Exception e)
        {
            logger.LogError(e, "Unhandled error on {Method} {Path}", context.Request.Method, context.Request.Path);
            await WriteAsync(context, 500, ErrorCodes.Unknown, "An unknown error occurred!");
        }
    }

    /// <summary>Routing answers 404/405 without a body; give those the error body too.</summary>
    private static Task WriteStatusOnlyError(HttpContext context) => context.Response.StatusCode switch
    {
        404 => WriteAsync(context, 404, ErrorCodes.NotFound, $"no API at {context.Request.Method} {context.Request.Path}"),
        405 => WriteAsync(context, 405, ErrorCodes.MethodNotAllowed, $"method {context.Request.Method} is not allowed on {context.Request.Path}"),
        415 => WriteAsync(context, 415, ErrorCodes.UnsupportedMediaType, "request body must be application/json"),
        _ => Task.CompletedTask,
    };

    public static async Task WriteAsync(HttpContext context, int status, string code, string message)
    {
        if (context.Response.HasStarted)
        {
            return;
        }
        context.Response.Clear();
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        await JsonSerializer.SerializeAsync(context.Response.Body, new ErrorBody(code, message), ApiJson.Options);
    }

    private sealed record ErrorBody(
        [property: System.Text.Json.Serialization.JsonPropertyName("error_code")] string ErrorCode,
        [property: System.Text.Json.Serialization.JsonPropertyName("error_msg")] string ErrorMsg);
}
