using Microsoft.Playwright;

namespace PerfTest.Console.Tests.Infrastructure;

/// <summary>
/// Screenshots of the pages for docs/console.md: written only when PERFTEST_SCREENSHOTS names a directory
/// (e.g. PERFTEST_SCREENSHOTS=docs/console), so ordinary test runs leave the tree alone.
/// </summary>
public static class Screenshots
{
    public static string? Directory => Environment.GetEnvironmentVariable("PERFTEST_SCREENSHOTS") is { Length: > 0 } d ? d : null;

    /// <summary>Saves the page (its whole height) as <paramref name="name"/>.png when screenshots are asked for.</summary>
    public static async Task TakeAsync(IPage page, string name)
    {
        if (Directory is not { } directory)
        {
            return;
        }
        System.IO.Directory.CreateDirectory(directory);
        await page.ScreenshotAsync(new PageScreenshotOptions
        {
            Path = Path.Combine(directory, name + ".png"),
            FullPage = true,
            // Carets and CSS animations frozen: the same page gives the same picture.
            Animations = ScreenshotAnimations.Disabled,
        });
    }
}
