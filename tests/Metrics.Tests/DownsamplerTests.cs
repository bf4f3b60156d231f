namespace PerfTest.Metrics.Tests;

/// <summary>Downsampling rules: equal buckets (lengths differ by at most one), combined per mode.</summary>
public class DownsamplerTests
{
    private static readonly double[] Series = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    [InlineData(10)]
    [InlineData(50)]
    public void Few_points_or_too_many_return_the_series_unchanged(int points)
    {
        var result = Downsampler.Downsample(Series, points, DownsampleMode.Mean);

        Assert.Equal(Series, result);
        Assert.NotSame(Series, result);
    }

    [Fact]
    public void Mean_averages_each_bucket_and_preserves_the_total_rate()
    {
        Assert.Equal([1.5, 3.5, 5.5, 7.5, 9.5], Downsampler.Downsample(Series, 5, DownsampleMode.Mean));
    }

    [Fact]
    public void Max_keeps_peaks_of_gauges()
    {
        double[] vus = [0, 10, 50, 10, 0, 0];

        Assert.Equal([50, 10], Downsampler.Downsample(vus, 2, DownsampleMode.Max));
    }

    [Fact]
    public void Min_and_sum()
    {
        Assert.Equal([1, 6], Downsampler.Downsample(Series, 2, DownsampleMode.Min));
        Assert.Equal([15, 40], Downsampler.Downsample(Series, 2, DownsampleMode.Sum));
    }

    [Fact]
    public void Uneven_lengths_split_into_buckets_differing_by_at_most_one()
    {
        // 10 into 3: [0,3) [3,6) [6,10)
        Assert.Equal([6, 15, 34], Downsampler.Downsample(Series, 3, DownsampleMode.Sum));
        Assert.Equal([2, 5, 8.5], Downsampler.Downsample(Series, 3, DownsampleMode.Mean));
    }

    [Fact]
    public void Single_point_covers_everything()
    {
        Assert.Equal([55], Downsampler.Downsample(Series, 1, DownsampleMode.Sum));
    }
}
