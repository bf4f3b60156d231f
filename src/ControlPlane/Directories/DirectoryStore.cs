using Dapper;
using PerfTest.ControlPlane.Storage;

namespace PerfTest.ControlPlane.Directories;

public sealed class DirectoryRow
{
    public long Id { get; set; }
    public long ProjectId { get; set; }
    public long ParentId { get; set; }
    public string Name { get; set; } = "";
    public string Doc { get; set; } = "{}";
    public long CreatedUs { get; set; }
    public long UpdatedUs { get; set; }
}

/// <summary>Case directories of a project: a flat list, each row naming its parent (0 = the root).</summary>
public sealed class DirectoryStore(Database db)
{
    private const string Columns = "id, project_id, parent_id, name, doc, created_us, updated_us";

    public async Task<long> CreateAsync(string tenant, DirectoryRow row)
    {
        await using var c = await db.OpenAsync();
        return await c.ExecuteScalarAsync<long>(
            "INSERT INTO directories (tenant, project_id, parent_id, name, doc, created_us, updated_us) " +
            "VALUES (@tenant, @ProjectId, @ParentId, @Name, @Doc, @CreatedUs, @UpdatedUs) RETURNING id",
            new { tenant, row.ProjectId, row.ParentId, row.Name, row.Doc, row.CreatedUs, row.UpdatedUs });
    }

    public async Task<DirectoryRow?> GetAsync(string tenant, long id)
    {
        await using var c = await db.OpenAsync();
        return await c.QuerySingleOrDefaultAsync<DirectoryRow>(
            $"SELECT {Columns} FROM directories WHERE tenant = @tenant AND id = @id", new { tenant, id });
    }

    public async Task<IReadOnlyList<DirectoryRow>> ListAsync(string tenant, long projectId)
    {
        await using var c = await db.OpenAsync();
        return (await c.QueryAsync<DirectoryRow>(
            $"SELECT {Columns} FROM directories WHERE tenant = @tenant AND project_id = @projectId ORDER BY id",
            new { tenant, projectId })).AsList();
    }

    public async Task<bool> RenameAsync(string tenant, long id, string name, long updatedUs)
    {
        await using var c = await db.OpenAsync();
        return await c.ExecuteAsync(
            "UPDATE directories SET name = @name, updated_us = @updatedUs WHERE tenant = @tenant AND id = @id",
            new { tenant, id, name, updatedUs }) > 0;
    }

    /// <summary>Deletes an empty directory. A directory that still holds cases or directories is kept.</summary>
    public async Task<DeleteOutcome> DeleteAsync(string tenant, long id)
    {
        await using var c = await db.OpenAsync();
        await using var tx = await c.BeginTransactionAsync();
        var children = await c.ExecuteScalarAsync<long>(
            "SELECT (SELECT COUNT(*) FROM cases WHERE directory_id = @id) + (SELECT COUNT(*) FROM directories WHERE parent_id = @id)",
            new { id }, tx);
        if (children > 0)
        {
            return DeleteOutcome.NotEmpty;
        }
        var deleted = await c.ExecuteAsync("DELETE FROM directories WHERE tenant = @tenant AND id = @id", new { tenant, id }, tx);
        await tx.CommitAsync();
        return deleted > 0 ? DeleteOutcome.Deleted : DeleteOutcome.NotFound;
    }
}

public enum DeleteOutcome
{
    Deleted,
    NotFound,
    NotEmpty,
}
