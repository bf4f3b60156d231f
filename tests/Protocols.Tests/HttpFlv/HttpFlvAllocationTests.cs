using System.Text;
using PerfTest.Protocols.Flv;
using PerfTest.Protocols.Http;
using PerfTest.Protocols.Tests.Http;
using Xunit.Abstractions;

namespace PerfTest.Protocols.Tests.HttpFlv;

/// <summary>The media loop allocates nothing per tag (serial: GC.GetTotalAllocatedBytes counts the whole process).</summary>
[Collection(nameof(SerialAllocationTests))]
public sealed class HttpFlvAllocationTests(FlvSources sources, ITestOutputHelper output) : IClassFixture<FlvSources>
{
    private const int Repeats = 20;
    private const int Rounds = 5;

    /// <summary>
    /// A play of the clip's tags repeated <see cref="Repeats"/> times against a play of the clip once: the
    /// per-play costs (connect, pipes, result) are the same, so the difference is what the extra tags cost. A
    /// per-tag allocation (24 B at least) would add 24 B x thousands of tags to every round; the runtime's own
    /// occasional allocations show in some rounds only (the difference of two plays may even be negative), so
    /// the best round must stay under 1 B per extra tag and the median under 8 B (as AllocationMeter judges).
    /// </summary>
    [Fact]
    public async Task Extra_tags_allocate_nothing()
    {
        byte[] head = Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Type: video/x-flv\r\n\r\n");
        byte[] tags = sources.Clip[13..];  // after the FLV header and PreviousTagSize0
        byte[] repeated = [.. head, .. sources.Clip.AsSpan(0, 13), .. Enumerable.Repeat(tags, Repeats).SelectMany(t => t)];
        using var once = new RawHttpServer([.. head, .. sources.Clip], RawMode.RespondThenClose, writeSize: 16 * 1024);
        using var many = new RawHttpServer(repeated, RawMode.RespondThenClose, writeSize: 16 * 1024);
        await using var player = new HttpFlvPlayer(new HttpClientOptions());
        var spec = new HttpFlvPlaySpec(once.Url("/clip.flv"), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30));
        var manySpec = spec with { Url = many.Url("/clip.flv") };

        long[] extra = await Task.Run(async () =>
        {
            for (var i = 0; i < 3; i++)  // warm-up: JIT tiers, array pool, pipe segment pools
            {
                await player.PlayAsync(spec, default);
                await player.PlayAsync(manySpec, default);
            }
            var rounds = new long[Rounds];
            for (var round = 0; round < Rounds; round++)
            {
                long start = GC.GetTotalAllocatedBytes(precise: true);
                var one = await player.PlayAsync(spec, default);
                long middle = GC.GetTotalAllocatedBytes(precise: true);
                var all = await player.PlayAsync(manySpec, default);
                rounds[round] = GC.GetTotalAllocatedBytes(precise: true) - middle - (middle - start);
                Assert.Equal(Outcome.Success, one.Outcome);
                Assert.Equal(Outcome.Success, all.Outcome);
                Assert.Equal(Repeats * one.PacketsReceived, all.PacketsReceived);
            }
            return rounds;
        });

        long extraTags = (Repeats - 1) * sources.Expected.MediaTags;
        output.WriteLine($"extra bytes allocated for {extraTags} extra tags, per round: {string.Join(", ", extra)}");
        Assert.True(extra.Min() < extraTags, $"best round {extra.Min()} B for {extraTags} extra tags");
        Assert.True(extra.Order().ElementAt(Rounds / 2) < 8 * extraTags, $"median round over 8 B per extra tag");
    }
}
