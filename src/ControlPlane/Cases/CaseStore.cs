using System.Data.Common;
using Dapper;
using PerfTest.ControlPlane.Storage;

namespace PerfTest.ControlPlane.Cases;

public sealed class CaseRow
{
    public long Id { get; set; }
    public long ProjectId { get; set; }
    public long? TaskId { get; set; }
    public long? DirectoryId { get; set; }
    public string Name { get; set; } = "";
    public long Sort { get; set; }
    public string Doc { get; set; } = "{}";
    public long CreatedUs { get; set; }
    public long UpdatedUs { get; set; }
}

/// <summary>
/// Cases. Old-edition cases belong to one task (task_id); new-edition (v2) cases belong to a
/// project directory and are linked to v3 tasks through task_cases.
/// </summary>
public sealed class CaseStore(Database db)
{
    private const string Columns = "c.id, c.project_id, c.task_id, c.directory_id, c.name, c.sort, c.doc, c.created_us, c.updated_us";

    public async Task<long> CreateAsync(string tenant, CaseRow row)
    {
        await using var c = await db.OpenAsync();
        return await c.ExecuteScalarAsync<long>(
            "INSERT INTO cases (tenant, project_id, task_id, directory_id, name, sort, doc, created_us, updated_us) " +
            "VALUES (@tenant, @ProjectId, @TaskId, @DirectoryId, @Name, " +
            "COALESCE((SELECT MAX(sort) FROM cases WHERE task_id = @TaskId), 0) + 1, @Doc, @CreatedUs, @UpdatedUs) RETURNING id",
            new { tenant, row.ProjectId, row.TaskId, row.DirectoryId, row.Name, row.Doc, row.CreatedUs, row.UpdatedUs });
    }

    public async Task<CaseRow?> GetAsync(string tenant, long id)
    {
        await using var c = await db.OpenAsync();
        return await c.QuerySingleOrDefaultAsync<CaseRow>(
            $"SELECT {Columns} FROM cases c WHERE c.tenant = @tenant AND c.id = @id", new { tenant, id });
    }

    /// <summary>The cases a task runs: those it owns, in their sort order, then those it links, in list order.</summary>
    public async Task<IReadOnlyList<CaseRow>> ListByTaskAsync(string tenant, long taskId)
    {
        await using var c = await db.OpenAsync();
        var owned = await c.QueryAsync<CaseRow>(
            $"SELECT {Columns} FROM cases c WHERE c.tenant = @tenant AND c.task_id = @taskId ORDER BY c.sort, c.id",
            new { tenant, taskId });
        var linked = await c.QueryAsync<CaseRow>(
            $"SELECT {Columns} FROM task_cases l JOIN cases c ON c.id = l.case_id " +
            "WHERE c.tenant = @tenant AND l.task_id = @taskId ORDER BY l.position", new { tenant, taskId });
        return owned.Concat(linked).ToList();
    }

    public async Task<IReadOnlyList<CaseRow>> ListInDirectoriesAsync(string tenant, long projectId)
    {
        await using var c = await db.OpenAsync();
        return (await c.QueryAsync<CaseRow>(
            $"SELECT {Columns} FROM cases c WHERE c.tenant = @tenant AND c.project_id = @projectId " +
            "AND c.directory_id IS NOT NULL ORDER BY c.id", new { tenant, projectId })).AsList();
    }

    /// <summary>The ids among <paramref name="ids"/> that are cases of the project.</summary>
    public async Task<IReadOnlySet<long>> ExistingAsync(string tenant, long projectId, IReadOnlyCollection<long> ids)
    {
        await using var c = await db.OpenAsync();
        var found = new HashSet<long>();
        foreach (var chunk in ids.Distinct().Chunk(SqlIdList.MaxIds))
        {
            var parameters = new DynamicParameters(new { tenant, projectId });
            var list = SqlIdList.Add(parameters, chunk);
            found.UnionWith(await c.QueryAsync<long>(
                $"SELECT id FROM cases WHERE tenant = @tenant AND project_id = @projectId AND id IN {list}", parameters));
        }
        return found;
    }

    public async Task<bool> UpdateAsync(string tenant, CaseRow row, DbConnection? connection = null, DbTransaction? tx = null)
    {
        await using var owned = connection is null ? await db.OpenAsync() : null;
        var c = connection ?? owned!;
        return await c.ExecuteAsync(
            "UPDATE cases SET name = @Name, directory_id = @DirectoryId, doc = @Doc, updated_us = @UpdatedUs " +
            "WHERE tenant = @tenant AND id = @Id",
            new { tenant, row.Id, row.Name, row.DirectoryId, row.Doc, row.UpdatedUs }, tx) > 0;
    }

    /// <summary>Deletes the case; its links to v3 tasks go with it (foreign key cascade).</summary>
    public async Task<bool> DeleteAsync(string tenant, long id)
    {
        await using var c = await db.OpenAsync();
        return await c.ExecuteAsync("DELETE FROM cases WHERE tenant = @tenant AND id = @id", new { tenant, id }) > 0;
    }
}
