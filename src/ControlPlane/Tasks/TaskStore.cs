using System.Data.Common;
using Dapper;
using PerfTest.ControlPlane.Storage;

namespace PerfTest.ControlPlane.Tasks;

public sealed class TaskRow
{
    public long Id { get; set; }
    public long ProjectId { get; set; }
    public string Name { get; set; } = "";

    /// <summary>0: old edition (owns its cases); 1: new edition (v3, links project cases).</summary>
    public int Edition { get; set; }

    public int RunStatus { get; set; } = 9;
    public string Doc { get; set; } = "{}";
    public long CreatedUs { get; set; }
    public long UpdatedUs { get; set; }
}

/// <summary>Tasks. Deleting one deletes the cases it owns and its case links (foreign key cascade).</summary>
public sealed class TaskStore(Database db)
{
    private const string Columns = "id, project_id, name, edition, run_status, doc, created_us, updated_us";

    public Task<long> CreateAsync(string tenant, TaskRow row, IReadOnlyList<long> linkedCases) =>
        db.InTransactionAsync(async (c, tx) =>
        {
            var id = await c.ExecuteScalarAsync<long>(
                "INSERT INTO tasks (tenant, project_id, name, edition, run_status, doc, created_us, updated_us) " +
                "VALUES (@tenant, @ProjectId, @Name, @Edition, @RunStatus, @Doc, @CreatedUs, @UpdatedUs) RETURNING id",
                new { tenant, row.ProjectId, row.Name, row.Edition, row.RunStatus, row.Doc, row.CreatedUs, row.UpdatedUs }, tx);
            await LinkAsync(c, tx, id, linkedCases);
            return id;
        });

    public async Task<TaskRow?> GetAsync(string tenant, long id)
    {
        await using var c = await db.OpenAsync();
        return await c.QuerySingleOrDefaultAsync<TaskRow>(
            $"SELECT {Columns} FROM tasks WHERE tenant = @tenant AND id = @id", new { tenant, id });
    }

    public async Task<IReadOnlyList<TaskRow>> ListAsync(string tenant, long projectId, Api.Page page)
    {
        await using var c = await db.OpenAsync();
        return (await c.QueryAsync<TaskRow>(
            $"SELECT {Columns} FROM tasks WHERE tenant = @tenant AND project_id = @projectId ORDER BY id LIMIT @Limit OFFSET @Offset",
            new { tenant, projectId, page.Limit, page.Offset })).AsList();
    }

    /// <summary>Updates the task and, when <paramref name="linkedCases"/> is given, replaces its case links, atomically.</summary>
    public Task<bool> UpdateAsync(string tenant, TaskRow row, IReadOnlyList<long>? linkedCases,
        Func<DbConnection, DbTransaction, Task>? alsoInTransaction = null) =>
        db.InTransactionAsync(async (c, tx) =>
        {
            var updated = await c.ExecuteAsync(
                "UPDATE tasks SET name = @Name, edition = @Edition, doc = @Doc, updated_us = @UpdatedUs WHERE tenant = @tenant AND id = @Id",
                new { tenant, row.Id, row.Name, row.Edition, row.Doc, row.UpdatedUs }, tx) > 0;
            if (!updated)
            {
                return false;
            }
            if (linkedCases is not null)
            {
                await c.ExecuteAsync("DELETE FROM task_cases WHERE task_id = @Id", new { row.Id }, tx);
                await LinkAsync(c, tx, row.Id, linkedCases);
            }
            if (alsoInTransaction is not null)
            {
                await alsoInTransaction(c, tx);
            }
            return true;
        });

    public async Task<bool> DeleteAsync(string tenant, long id)
    {
        await using var c = await db.OpenAsync();
        return await c.ExecuteAsync("DELETE FROM tasks WHERE tenant = @tenant AND id = @id", new { tenant, id }) > 0;
    }

    private static async Task LinkAsync(DbConnection c, DbTransaction tx, long taskId, IReadOnlyList<long> caseIds)
    {
        var position = 0;
        foreach (var caseId in caseIds.Distinct())
        {
            await c.ExecuteAsync("INSERT INTO task_cases (task_id, case_id, position) VALUES (@taskId, @caseId, @position)",
                new { taskId, caseId, position = ++position }, tx);
        }
    }
}
