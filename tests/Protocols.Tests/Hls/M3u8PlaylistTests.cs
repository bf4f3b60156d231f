using PerfTest.Protocols.Hls;

namespace PerfTest.Protocols.Tests.Hls;

public sealed class M3u8PlaylistTests
{
    private static readonly Uri Base = new("http://127.0.0.1:8080/live/stream.m3u8");

    private const string Master = """
        #EXTM3U
        #EXT-X-VERSION:3
        #EXT-X-STREAM-INF:BANDWIDTH=1280000,RESOLUTION=640x360,CODECS="avc1.4d401e,mp4a.40.2"
        mid/index.m3u8
        #EXT-X-STREAM-INF:BANDWIDTH=400000,RESOLUTION=320x180
        low/index.m3u8
        #EXT-X-STREAM-INF:BANDWIDTH=2560000,RESOLUTION=1280x720
        http://127.0.0.1:8080/high/index.m3u8
        """;

    [Fact]
    public void A_master_playlist_lists_its_variants_resolved_against_its_url()
    {
        var playlist = M3u8Playlist.Parse(Master, Base);
        Assert.True(playlist.IsMaster);
        Assert.Equal(["http://127.0.0.1:8080/live/mid/index.m3u8", "http://127.0.0.1:8080/live/low/index.m3u8", "http://127.0.0.1:8080/high/index.m3u8"],
            playlist.Variants.Select(v => v.Uri.ToString()));
        Assert.Equal([1280000L, 400000L, 2560000L], playlist.Variants.Select(v => v.Bandwidth));
        Assert.Equal("640x360", playlist.Variants[0].Resolution);
    }

    [Theory]
    [InlineData(0, 400000)]
    [InlineData(1, 2560000)]
    [InlineData(2, 1280000)]
    [InlineData(9, 1280000)]
    public void Bitrate_type_picks_the_variant(int bitrateType, long bandwidth) =>
        Assert.Equal(bandwidth, M3u8Playlist.Parse(Master, Base).SelectVariant(bitrateType).Bandwidth);

    [Fact]
    public void A_media_playlist_lists_segments_with_their_sequence_numbers()
    {
        var playlist = M3u8Playlist.Parse("""
            #EXTM3U
            #EXT-X-TARGETDURATION:4
            #EXT-X-MEDIA-SEQUENCE:17
            #EXTINF:4.000,
            seg17.ts
            #EXTINF:3.5,title
            seg18.ts
            """, Base);
        Assert.False(playlist.IsMaster);
        Assert.False(playlist.Ended);
        Assert.Equal(4, playlist.TargetDurationSeconds);
        Assert.Equal([17L, 18L], playlist.Segments.Select(s => s.Sequence));
        Assert.Equal([4.0, 3.5], playlist.Segments.Select(s => s.DurationSeconds));
        Assert.Equal("http://127.0.0.1:8080/live/seg18.ts", playlist.Segments[1].Uri.ToString());
    }

    [Fact]
    public void Endlist_marks_a_finished_playlist() =>
        Assert.True(M3u8Playlist.Parse("#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:2,\na.ts\n#EXT-X-ENDLIST\n", Base).Ended);

    [Theory]
    [InlineData("<html>not a playlist</html>", "#EXTM3U")]
    [InlineData("#EXTM3U\nseg.ts\n", "without #EXTINF")]
    [InlineData("#EXTM3U\n#EXTINF:abc,\nseg.ts\n", "valid number")]
    [InlineData("#EXTM3U\n#EXT-X-STREAM-INF:RESOLUTION=1x1\nv.m3u8\n", "BANDWIDTH")]
    [InlineData("#EXTM3U\n#EXTINF:2,\nftp://h/seg.ts\n", "not an http(s) URI")]
    public void A_bad_playlist_is_a_format_error_naming_the_problem(string text, string expected) =>
        Assert.Contains(expected, Assert.Throws<FormatException>(() => M3u8Playlist.Parse(text, Base)).Message);
}
