using Dapper;
using PerfTest.ControlPlane.Storage;

namespace PerfTest.ControlPlane.Templates;

public sealed class TemplateRow
{
    public long Id { get; set; }
    public long ProjectId { get; set; }
    public string Name { get; set; } = "";
    public string Doc { get; set; } = "{}";
    public long CreatedUs { get; set; }
    public long UpdatedUs { get; set; }
}

/// <summary>Transactions (templates): named card sequences that cases refer to by content_id.</summary>
public sealed class TemplateStore(Database db)
{
    private const string Columns = "id, project_id, name, doc, created_us, updated_us";

    public async Task<long> CreateAsync(string tenant, TemplateRow row)
    {
        await using var c = await db.OpenAsync();
        return await c.ExecuteScalarAsync<long>(
            "INSERT INTO templates (tenant, project_id, name, doc, created_us, updated_us) " +
            "VALUES (@tenant, @ProjectId, @Name, @Doc, @CreatedUs, @UpdatedUs) RETURNING id",
            new { tenant, row.ProjectId, row.Name, row.Doc, row.CreatedUs, row.UpdatedUs });
    }

    public async Task<TemplateRow?> GetAsync(string tenant, long id)
    {
        await using var c = await db.OpenAsync();
        return await c.QuerySingleOrDefaultAsync<TemplateRow>(
            $"SELECT {Columns} FROM templates WHERE tenant = @tenant AND id = @id", new { tenant, id });
    }

    public async Task<IReadOnlyList<TemplateRow>> ListAsync(string tenant, long projectId, Api.Page page)
    {
        await using var c = await db.OpenAsync();
        return (await c.QueryAsync<TemplateRow>(
            $"SELECT {Columns} FROM templates WHERE tenant = @tenant AND project_id = @projectId ORDER BY id LIMIT @Limit OFFSET @Offset",
            new { tenant, projectId, page.Limit, page.Offset })).AsList();
    }

    public async Task<bool> UpdateAsync(string tenant, TemplateRow row)
    {
        await using var c = await db.OpenAsync();
        return await c.ExecuteAsync(
            "UPDATE templates SET name = @Name, doc = @Doc, updated_us = @UpdatedUs WHERE tenant = @tenant AND id = @Id",
            new { tenant, row.Id, row.Name, row.Doc, row.UpdatedUs }) > 0;
    }

    public async Task<bool> DeleteAsync(string tenant, long id)
    {
        await using var c = await db.OpenAsync();
        return await c.ExecuteAsync("DELETE FROM templates WHERE tenant = @tenant AND id = @id", new { tenant, id }) > 0;
    }
}
