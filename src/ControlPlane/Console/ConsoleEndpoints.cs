using Microsoft.AspNetCore.Authorization;
using PerfTest.ControlPlane.Api;
using PerfTest.ControlPlane.Api.Contracts;
using PerfTest.ControlPlane.Auth;

namespace PerfTest.ControlPlane.WebConsole;

/// <summary>
/// The web console: its page and files at <c>/</c> and <c>/console/{file}</c> (anonymous: they hold no data, every
/// figure is fetched through the authenticated API), who the caller is, the live report of a task run and its
/// export as one HTML file.
/// </summary>
public static class ConsoleEndpoints
{
    /// <summary>No script but the console's own files, no framing, nothing sent to other origins.</summary>
    public const string ContentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; " +
        "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'";

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/", (HttpContext ctx, IConsoleAssets assets) => Serve(ctx, assets, "index.html"))
            .WithMetadata(new AllowAnonymousAttribute()).ExcludeFromDescription();
        app.MapGet("/console/{file}", (HttpContext ctx, IConsoleAssets assets, string file) => Serve(ctx, assets, file))
            .WithMetadata(new AllowAnonymousAttribute()).ExcludeFromDescription();
        app.MapGet("/console/api/identity", Identity).ExcludeFromDescription();
        var v1 = app.MapGroup("/v1/{project_id}").WithTags("Console");
        v1.MapGet("/console/task-runs/{task_run_id}", Report).WithName("show_console_report")
            .Produces(StatusCodes.Status200OK, contentType: "application/json").WithErrors(StatusCodes.Status404NotFound);
        v1.MapGet("/task-run-infos/{task_run_id}/reports/html", Html).WithName("export_html_report")
            .Produces<string>(StatusCodes.Status200OK, "text/html").WithErrors(StatusCodes.Status404NotFound);
    }

    private static IResult Serve(HttpContext ctx, IConsoleAssets assets, string file)
    {
        // The index is the only page; the other files are what it loads (index.html itself only at /).
        var asset = (file == "index.html") == (ctx.Request.Path == "/") ? assets.Find(file) : null;
        if (asset is null)
        {
            throw new ApiException(404, ErrorCodes.NotFound, $"no console file at {ctx.Request.Path}");
        }
        var headers = ctx.Response.Headers;
        headers.CacheControl = "no-cache";
        headers.ETag = asset.ETag;
        headers.XContentTypeOptions = "nosniff";
        if (asset.ContentType.StartsWith("text/html", StringComparison.Ordinal))
        {
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers["Referrer-Policy"] = "no-referrer";
        }
        var known = ctx.Request.Headers.IfNoneMatch.ToString();
        return known.Split(',').Any(tag => tag.Trim() == asset.ETag)
            ? Results.StatusCode(StatusCodes.Status304NotModified)
            : Results.Bytes(asset.Content, asset.ContentType);
    }

    private static async Task<IResult> Identity(HttpContext ctx, ConsoleIdentity identity)
    {
        var caller = ctx.Items[typeof(CallerIdentity)] as CallerIdentity
            ?? throw ApiException.Unauthorized("authentication required: sign the request (SDK-HMAC-SHA256) or send X-Auth-Token");
        ctx.Response.Headers.CacheControl = "no-store";
        return ApiJson.Ok(await identity.DescribeAsync(caller));
    }

    private static async Task<IResult> Report(HttpContext ctx, string task_run_id, ConsoleReportBuilder reports)
    {
        var id = RequestValues.Id(task_run_id, "task_run_id");
        var raw = ctx.Request.Query["since"].ToString();
        long? since = raw.Length == 0 ? null : RequestValues.Id(raw, "since");
        ctx.Response.Headers.CacheControl = "no-store";
        return ApiJson.Ok(await reports.BuildAsync(Tenant.Of(ctx), id, since));
    }

    private static async Task<IResult> Html(HttpContext ctx, string task_run_id, ConsoleReportBuilder reports, IConsoleAssets assets)
    {
        var id = RequestValues.Id(task_run_id, "task_run_id");
        var html = HtmlReport.Build(assets, id, await reports.BuildAsync(Tenant.Of(ctx), id, since: null));
        var headers = ctx.Response.Headers;
        headers.ContentDisposition = $"attachment; filename=\"{HtmlReport.FileName(id)}\"";
        headers.CacheControl = "no-store";
        headers.XContentTypeOptions = "nosniff";
        return Results.Text(html, "text/html; charset=utf-8");
    }
}
