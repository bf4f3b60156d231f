using System.Globalization;

namespace PerfTest.Protocols.Hls;

/// <summary>One variant stream of a master playlist (#EXT-X-STREAM-INF and the URI after it).</summary>
public sealed record HlsVariant(Uri Uri, long Bandwidth, string? Resolution);

/// <summary>One media segment of a media playlist (#EXTINF and the URI after it).</summary>
public sealed record HlsSegment(Uri Uri, long Sequence, double DurationSeconds);

/// <summary>
/// An HLS playlist (RFC 8216) as a load test needs it: a master playlist's variants, or a media playlist's
/// segments with their media sequence numbers, target duration and whether the list has ended (VOD) or
/// grows (live). URIs are resolved against the playlist's own URL. Tags a load test does not need
/// (encryption, byte ranges, discontinuities, alternative renditions) are ignored.
/// </summary>
public sealed class M3u8Playlist
{
    private M3u8Playlist(IReadOnlyList<HlsVariant> variants, IReadOnlyList<HlsSegment> segments, double targetDuration, bool ended)
    {
        Variants = variants;
        Segments = segments;
        TargetDurationSeconds = targetDuration;
        Ended = ended;
    }

    /// <summary>Non-empty for a master playlist.</summary>
    public IReadOnlyList<HlsVariant> Variants { get; }

    /// <summary>Non-empty for a media playlist (it may be empty for a live one that has not started).</summary>
    public IReadOnlyList<HlsSegment> Segments { get; }

    public bool IsMaster => Variants.Count > 0;

    public double TargetDurationSeconds { get; }

    /// <summary>#EXT-X-ENDLIST: no segment will be added (VOD, or a live stream that ended).</summary>
    public bool Ended { get; }

    /// <summary>Parses a playlist; throws <see cref="FormatException"/> naming the problem (the "bad playlist" failure).</summary>
    public static M3u8Playlist Parse(string text, Uri playlistUrl)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(playlistUrl);
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        if (lines.Length == 0 || !lines[0].TrimStart('\uFEFF').StartsWith("#EXTM3U", StringComparison.Ordinal))
        {
            throw new FormatException("the playlist does not start with #EXTM3U");
        }
        var variants = new List<HlsVariant>();
        var segments = new List<HlsSegment>();
        double targetDuration = 0;
        long sequence = 0;
        var ended = false;
        string? pendingStreamInf = null;
        double? pendingDuration = null;
        for (var i = 1; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0)
            {
                continue;
            }
            if (line.StartsWith('#'))
            {
                ReadTag(line, ref targetDuration, ref sequence, ref ended, ref pendingStreamInf, ref pendingDuration);
                continue;
            }
            var uri = Resolve(playlistUrl, line, i);
            if (pendingStreamInf is not null)
            {
                variants.Add(Variant(pendingStreamInf, uri, i));
                pendingStreamInf = null;
            }
            else if (pendingDuration is { } duration)
            {
                segments.Add(new HlsSegment(uri, sequence++, duration));
                pendingDuration = null;
            }
            else
            {
                throw new FormatException($"line {i + 1}: a URI without #EXTINF or #EXT-X-STREAM-INF before it");
            }
        }
        return new M3u8Playlist(variants, segments, targetDuration, ended);
    }

    /// <summary>
    /// The variant a card's <c>bitrate_type</c> asks for: 0 the lowest bandwidth, 1 the highest, 2 the one in
    /// the middle (the lower middle of an even count); any other value the first listed (docs/protocols-streaming.md).
    /// </summary>
    public HlsVariant SelectVariant(int bitrateType)
    {
        if (!IsMaster)
        {
            throw new InvalidOperationException("a media playlist has no variants");
        }
        var byBandwidth = Variants.OrderBy(v => v.Bandwidth).ToList();
        return bitrateType switch
        {
            0 => byBandwidth[0],
            1 => byBandwidth[^1],
            2 => byBandwidth[(byBandwidth.Count - 1) / 2],
            _ => Variants[0],
        };
    }

    private static void ReadTag(string line, ref double targetDuration, ref long sequence, ref bool ended,
        ref string? pendingStreamInf, ref double? pendingDuration)
    {
        if (line.StartsWith("#EXT-X-STREAM-INF:", StringComparison.Ordinal))
        {
            pendingStreamInf = line["#EXT-X-STREAM-INF:".Length..];
        }
        else if (line.StartsWith("#EXTINF:", StringComparison.Ordinal))
        {
            var value = line["#EXTINF:".Length..];
            var comma = value.IndexOf(',', StringComparison.Ordinal);
            pendingDuration = Number(comma < 0 ? value : value[..comma], line);
        }
        else if (line.StartsWith("#EXT-X-TARGETDURATION:", StringComparison.Ordinal))
        {
            targetDuration = Number(line["#EXT-X-TARGETDURATION:".Length..], line);
        }
        else if (line.StartsWith("#EXT-X-MEDIA-SEQUENCE:", StringComparison.Ordinal))
        {
            sequence = (long)Number(line["#EXT-X-MEDIA-SEQUENCE:".Length..], line);
        }
        else if (line == "#EXT-X-ENDLIST")
        {
            ended = true;
        }
    }

    private static HlsVariant Variant(string attributes, Uri uri, int index)
    {
        long bandwidth = -1;
        string? resolution = null;
        foreach (var (name, value) in Attributes(attributes))
        {
            if (name == "BANDWIDTH" && long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var b))
            {
                bandwidth = b;
            }
            else if (name == "RESOLUTION")
            {
                resolution = value;
            }
        }
        return bandwidth >= 0 ? new HlsVariant(uri, bandwidth, resolution)
            : throw new FormatException($"line {index}: #EXT-X-STREAM-INF without a BANDWIDTH");
    }

    /// <summary>NAME=value pairs separated by commas; a quoted value may hold commas.</summary>
    private static IEnumerable<(string Name, string Value)> Attributes(string list)
    {
        var i = 0;
        while (i < list.Length)
        {
            var eq = list.IndexOf('=', i);
            if (eq < 0)
            {
                yield break;
            }
            var name = list[i..eq].Trim();
            var end = list[eq + 1] == '"' ? list.IndexOf('"', eq + 2) + 1 : list.IndexOf(',', eq + 1);
            end = end <= 0 ? list.Length : end;
            yield return (name, list[(eq + 1)..end].Trim('"'));
            i = end + 1;
        }
    }

    private static double Number(string text, string line) =>
        double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && n >= 0
            ? n : throw new FormatException($"'{line}' does not hold a valid number");

    private static Uri Resolve(Uri playlistUrl, string reference, int index) =>
        Uri.TryCreate(playlistUrl, reference, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? uri : throw new FormatException($"line {index + 1}: '{reference}' is not an http(s) URI");
}
