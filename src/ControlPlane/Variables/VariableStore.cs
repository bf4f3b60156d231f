using System.Data.Common;
using Dapper;
using PerfTest.ControlPlane.Storage;

namespace PerfTest.ControlPlane.Variables;

public sealed class VariableRow
{
    public long Id { get; set; }
    public long ProjectId { get; set; }
    public string Name { get; set; } = "";
    public int VariableType { get; set; }
    public string Doc { get; set; } = "{}";
    public long CreatedUs { get; set; }
    public long UpdatedUs { get; set; }
}

/// <summary>Global variables of a project; names are unique within a project.</summary>
public sealed class VariableStore(Database db)
{
    private const string Columns = "id, project_id, name, variable_type, doc, created_us, updated_us";

    /// <summary>Creates all of them or none.</summary>
    public Task<List<long>> CreateAsync(string tenant, IReadOnlyList<VariableRow> rows) =>
        db.InTransactionAsync(async (c, tx) =>
        {
            var ids = new List<long>();
            foreach (var row in rows)
            {
                await RequireFreeName(c, tx, row);
                ids.Add(await c.ExecuteScalarAsync<long>(
                    "INSERT INTO variables (tenant, project_id, name, variable_type, doc, created_us, updated_us) " +
                    "VALUES (@tenant, @ProjectId, @Name, @VariableType, @Doc, @CreatedUs, @UpdatedUs) RETURNING id",
                    new { tenant, row.ProjectId, row.Name, row.VariableType, row.Doc, row.CreatedUs, row.UpdatedUs }, tx));
            }
            return ids;
        });

    /// <summary>Updates all of them or none; false when one of them does not exist in the project.</summary>
    public Task<bool> UpdateAsync(string tenant, IReadOnlyList<VariableRow> rows) =>
        db.InTransactionAsync(async (c, tx) =>
        {
            foreach (var row in rows)
            {
                await RequireFreeName(c, tx, row);
                var n = await c.ExecuteAsync(
                    "UPDATE variables SET name = @Name, variable_type = @VariableType, doc = @Doc, updated_us = @UpdatedUs " +
                    "WHERE tenant = @tenant AND project_id = @ProjectId AND id = @Id",
                    new { tenant, row.Id, row.ProjectId, row.Name, row.VariableType, row.Doc, row.UpdatedUs }, tx);
                if (n == 0)
                {
                    throw Api.ApiException.NotFound("variable", row.Id);
                }
            }
            return true;
        });

    public async Task<VariableRow?> GetAsync(string tenant, long projectId, long id)
    {
        await using var c = await db.OpenAsync();
        return await c.QuerySingleOrDefaultAsync<VariableRow>(
            $"SELECT {Columns} FROM variables WHERE tenant = @tenant AND project_id = @projectId AND id = @id",
            new { tenant, projectId, id });
    }

    public async Task<IReadOnlyList<VariableRow>> ListAsync(string tenant, long projectId, int? variableType, Api.Page page)
    {
        await using var c = await db.OpenAsync();
        return (await c.QueryAsync<VariableRow>(
            $"SELECT {Columns} FROM variables WHERE tenant = @tenant AND project_id = @projectId " +
            "AND (@variableType IS NULL OR variable_type = @variableType) ORDER BY id LIMIT @Limit OFFSET @Offset",
            new { tenant, projectId, variableType, page.Limit, page.Offset })).AsList();
    }

    public async Task<bool> DeleteAsync(string tenant, long projectId, long id)
    {
        await using var c = await db.OpenAsync();
        return await c.ExecuteAsync("DELETE FROM variables WHERE tenant = @tenant AND project_id = @projectId AND id = @id",
            new { tenant, projectId, id }) > 0;
    }

    private static async Task RequireFreeName(DbConnection c, DbTransaction tx, VariableRow row)
    {
        var other = await c.ExecuteScalarAsync<long?>(
            "SELECT id FROM variables WHERE project_id = @ProjectId AND name = @Name AND id <> @Id",
            new { row.ProjectId, row.Name, row.Id }, tx);
        if (other is not null)
        {
            throw Api.ApiException.Conflict($"project {row.ProjectId} already has a variable named '{row.Name}' (id {other})");
        }
    }
}
