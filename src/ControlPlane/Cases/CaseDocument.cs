using System.Text.Json.Nodes;
using PerfTest.ControlPlane.Api;

namespace PerfTest.ControlPlane.Cases;

/// <summary>
/// A case as the API shows it (CaseInfoDetail): the stored document, which is what the client
/// last wrote (unknown members included), with the server-owned members filled in.
/// </summary>
public static class CaseDocument
{
    /// <summary>Members the server owns; a client's values for them are not stored in the document.</summary>
    private static readonly string[] ServerOwned = ["case_id", "name", "directory_id", "sort"];

    public static JsonObject NewCase(int caseType) => new()
    {
        ["case_type"] = caseType,
        ["contents"] = new JsonArray(),
        ["for_loop_params"] = new JsonArray(),
        ["increase_setting"] = new JsonArray(),
        ["stages"] = new JsonArray(),
        ["status"] = 1,
        ["temp_id"] = 0,
        ["user_replicas"] = 0,
    };

    /// <summary>The case's status (0 deleted, 1 enabled, 2 disabled); enabled when the client never set one.</summary>
    public static int Status(CaseRow row) => ApiJson.ParseObject(row.Doc)["status"]?.GetValue<int>() ?? 1;

    public static JsonObject ToDetail(CaseRow row, long? sort = null)
    {
        var doc = ApiJson.ParseObject(row.Doc);
        var detail = new JsonObject { ["case_id"] = row.Id, ["name"] = row.Name };
        foreach (var (key, value) in doc.ToList())
        {
            doc.Remove(key);
            detail[key] = value;
        }
        detail["sort"] = sort ?? row.Sort;
        if (row.DirectoryId is { } directory)
        {
            detail["directory_id"] = directory;
        }
        return detail;
    }

    /// <summary>Merges the members of <paramref name="update"/> into the stored document.</summary>
    public static string Merge(string storedDoc, JsonObject update)
    {
        var doc = ApiJson.ParseObject(storedDoc);
        foreach (var (key, value) in update)
        {
            if (Array.IndexOf(ServerOwned, key) < 0)
            {
                doc[key] = value?.DeepClone();
            }
        }
        return ApiJson.Serialize(doc);
    }

    /// <summary>The whole document replaced by <paramref name="body"/> (less the server-owned members).</summary>
    public static string Replace(JsonObject body) => Merge("{}", body);
}
