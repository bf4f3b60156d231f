using Dapper;
using PerfTest.ControlPlane.Storage;

namespace PerfTest.ControlPlane.Projects;

public sealed class ProjectRow
{
    public long Id { get; set; }
    public string Name { get; set; } = "";
    public string Description { get; set; } = "";
    public int Source { get; set; }
    public string Doc { get; set; } = "{}";
    public long CreatedUs { get; set; }
    public long UpdatedUs { get; set; }
}

/// <summary>PerfTest projects (test suites). Deleting one cascades to everything under it.</summary>
public sealed class ProjectStore(Database db)
{
    private const string Columns = "id, name, description, source, doc, created_us, updated_us";

    public async Task<long> CreateAsync(string tenant, ProjectRow row)
    {
        await using var c = await db.OpenAsync();
        return await c.ExecuteScalarAsync<long>(
            "INSERT INTO projects (tenant, name, description, source, doc, created_us, updated_us) " +
            "VALUES (@tenant, @Name, @Description, @Source, @Doc, @CreatedUs, @UpdatedUs) RETURNING id",
            new { tenant, row.Name, row.Description, row.Source, row.Doc, row.CreatedUs, row.UpdatedUs });
    }

    public async Task<ProjectRow?> GetAsync(string tenant, long id)
    {
        await using var c = await db.OpenAsync();
        return await c.QuerySingleOrDefaultAsync<ProjectRow>(
            $"SELECT {Columns} FROM projects WHERE tenant = @tenant AND id = @id", new { tenant, id });
    }

    public async Task<bool> ExistsAsync(string tenant, long id)
    {
        await using var c = await db.OpenAsync();
        return await c.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM projects WHERE tenant = @tenant AND id = @id", new { tenant, id }) > 0;
    }

    /// <summary>The project id of a path or query value, checked to exist for the tenant (else 400 or 404).</summary>
    public async Task<long> RequireAsync(string tenant, string rawId, string name = "test_suite_id")
    {
        var id = Api.RequestValues.Id(rawId, name);
        return await ExistsAsync(tenant, id) ? id : throw Api.ApiException.NotFound("project", id);
    }

    public async Task<IReadOnlyList<ProjectRow>> ListAsync(string tenant, Api.Page page)
    {
        await using var c = await db.OpenAsync();
        return (await c.QueryAsync<ProjectRow>(
            $"SELECT {Columns} FROM projects WHERE tenant = @tenant ORDER BY id LIMIT @Limit OFFSET @Offset",
            new { tenant, page.Limit, page.Offset })).AsList();
    }

    public async Task<bool> UpdateAsync(string tenant, ProjectRow row)
    {
        await using var c = await db.OpenAsync();
        return await c.ExecuteAsync(
            "UPDATE projects SET name = @Name, description = @Description, source = @Source, doc = @Doc, " +
            "updated_us = @UpdatedUs WHERE tenant = @tenant AND id = @Id",
            new { tenant, row.Id, row.Name, row.Description, row.Source, row.Doc, row.UpdatedUs }) > 0;
    }

    /// <summary>
    /// Deletes the project; the foreign keys cascade to its directories, tasks, cases,
    /// task-case links, variables and transactions in the same statement.
    /// </summary>
    public async Task<bool> DeleteAsync(string tenant, long id)
    {
        await using var c = await db.OpenAsync();
        return await c.ExecuteAsync("DELETE FROM projects WHERE tenant = @tenant AND id = @id", new { tenant, id }) > 0;
    }
}
