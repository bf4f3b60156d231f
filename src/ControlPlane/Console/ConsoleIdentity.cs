using System.Text.Json.Nodes;
using Dapper;
using PerfTest.ControlPlane.Auth;
using PerfTest.ControlPlane.Storage;

namespace PerfTest.ControlPlane.WebConsole;

/// <summary>
/// Who the console's caller is and which IAM project ids its pages may offer: a credential's own, or in anonymous dev
/// mode (any project id allowed) the ones that already have projects, so the page has something to start from.
/// </summary>
public sealed class ConsoleIdentity(Database db)
{
    public async Task<JsonObject> DescribeAsync(CallerIdentity caller)
    {
        var ids = caller.ProjectIds is { } own ? own.Order(StringComparer.Ordinal).ToList() : await TenantsWithProjectsAsync();
        return new JsonObject
        {
            ["caller"] = caller.Name,
            ["any_project"] = caller.ProjectIds is null,
            ["project_ids"] = new JsonArray(ids.Select(id => (JsonNode)id).ToArray()),
        };
    }

    private async Task<List<string>> TenantsWithProjectsAsync()
    {
        await using var c = await db.OpenAsync();
        var tenants = await c.QueryAsync<string>("SELECT DISTINCT tenant FROM projects");
        // Sorted here, not in SQL: the order must not depend on the database's collation.
        return tenants.Order(StringComparer.Ordinal).ToList();
    }
}
