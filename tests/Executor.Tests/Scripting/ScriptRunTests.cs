using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using PerfTest.Executor.Plan;
using PerfTest.Executor.Running;
using PerfTest.Executor.Scripting;
using PerfTest.Metrics;
using PerfTest.Protocols;
using PerfTest.Protocols.Tests.Http;
using Xunit;

namespace PerfTest.Executor.Tests.Scripting;

/// <summary>A compiled script's cards run by a VU against a real Kestrel server.</summary>
public sealed class ScriptRunTests
{
    [Fact]
    public async Task Extracted_and_global_values_are_sent_and_failed_checks_and_extractions_are_counted()
    {
        var received = new ConcurrentQueue<string>();
        var logins = 0;
        await using var server = await KestrelHost.StartAsync(async context =>
        {
            var body = await new StreamReader(context.Request.Body).ReadToEndAsync();
            received.Enqueue($"{context.Request.Method} {context.Request.Path}{context.Request.QueryString} auth={context.Request.Headers.Authorization} body={body}");
            if (context.Request.Path == "/login")
            {
                context.Response.Headers["X-Session"] = "s" + Interlocked.Increment(ref logins);
                await context.Response.WriteAsync($$$"""{"data":{"token":"tok-{{{logins}}}"}}""");
            }
            else
            {
                await context.Response.WriteAsync("plain text");
            }
        });
        var origin = server.Url().GetLeftPart(UriPartial.Authority);
        var script = TestPlans.Compile(Script(origin), globals: new CountingGlobals("user"));
        var recorder = new RunRecorder(script.RequestCount);
        var context = new StageContext(new StageSpec(), script, recorder, TimeProvider.System, CancellationToken.None, CancellationToken.None);
        await using (var vu = new VirtualUser(recorder, script.ConnectionSlots, CancellationToken.None, script.Globals))
        {
            Assert.True(await context.RunIterationAsync(vu));
            Assert.True(await context.RunIterationAsync(vu));
        }

        Assert.Equal(
        [
            "POST /login auth= body=",
            "POST /items/tok-1?u=user-1 auth=Bearer tok-1 body={\"session\":\"s1\",\"user\":\"user-1\"}",
            "GET /check auth= body=",
            "GET /extract auth= body=",
            "POST /login auth= body=",
            "POST /items/tok-2?u=user-2 auth=Bearer tok-2 body={\"session\":\"s2\",\"user\":\"user-2\"}",
            "GET /check auth= body=",
            "GET /extract auth= body=",
        ], received);
        var snapshot = recorder.Rotate(0);
        Assert.Equal(2, Outcomes(snapshot, 0)[(int)Outcome.Success]);
        Assert.Equal(2, Outcomes(snapshot, 1)[(int)Outcome.Success]);
        Assert.Equal(2, Outcomes(snapshot, 2)[(int)Outcome.CheckpointFailed]);
        Assert.Equal(2, Outcomes(snapshot, 3)[(int)Outcome.ParseFailed]);
        Assert.Equal("items#POST#" + origin + "/items/${token}?u=${user}", TestPlans.MethodUrls(script).ElementAt(1));
    }

    private static long[] Outcomes(IntervalSnapshot snapshot, int key) => snapshot.FindKey(key)!.Outcomes;

    private static JsonObject Script(string origin) => (JsonObject)JsonNode.Parse($$"""
        { "contents": [
            { "content": [
                { "content_type": 2, "content": { "name": "login", "method": "POST", "url": "{{origin}}/login" } },
                { "content_type": 4, "content": { "extractions": [
                    { "name": "token", "source": "json_path", "expression": "$.data.token" },
                    { "name": "session", "source": "header", "expression": "x-session" } ] } },
                { "content_type": 3, "content": { "logic": "and", "checks": [
                    { "source": "status", "operator": "equals", "value": "200" },
                    { "source": "body", "operator": "matches", "value": "tok-\\d+" } ] } },
                { "content_type": 2, "content": { "name": "items", "method": "POST", "url": "{{origin}}/items/${token}?u=${user}",
                    "headers": [ { "key": "Authorization", "value": "Bearer ${token}" } ],
                    "bodys": [ "{\"session\":\"${session}\",\"user\":\"${user}\"}" ] } }
            ] },
            { "content": [
                { "content_type": 2, "content": { "name": "check", "url": "{{origin}}/check" } },
                { "content_type": 3, "content": { "checks": [ { "source": "body", "operator": "contains", "value": "nope" } ] } }
            ] },
            { "content": [
                { "content_type": 2, "content": { "name": "extract", "url": "{{origin}}/extract" } },
                { "content_type": 4, "content": { "extractions": [ { "name": "id", "source": "body", "expression": "id=(\\d+)" } ] } }
            ] }
        ] }
        """)!;
}
