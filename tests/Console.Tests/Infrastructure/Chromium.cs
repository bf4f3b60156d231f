using Microsoft.Playwright;

namespace PerfTest.Console.Tests.Infrastructure;

/// <summary>
/// Debian's chromium driven by Playwright. Playwright's own browsers cannot be downloaded here, so it launches
/// /usr/bin/chromium (the Debian package test.sh installs) headless.
/// </summary>
public sealed class Chromium : IAsyncDisposable
{
    /// <summary>The system browser; PERFTEST_CHROMIUM overrides it (another path on a developer's machine).</summary>
    public static string ExecutablePath => Environment.GetEnvironmentVariable("PERFTEST_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    private static readonly string[] Args =
    [
        // A root CI container has no user namespaces for chromium's sandbox.
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        // Nothing but the test's own loopback requests leaves the browser.
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        // A container's /dev/shm may be 64 MB, too small for the renderer's shared memory: use /tmp instead.
        "--disable-dev-shm-usage",
    ];

    private readonly IPlaywright _playwright;

    private Chromium(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        Browser = browser;
    }

    public IBrowser Browser { get; }

    public static async Task<Chromium> LaunchAsync()
    {
        if (!File.Exists(ExecutablePath))
        {
            throw new InvalidOperationException($"{ExecutablePath} is missing: install the Debian package chromium (test.sh does when root)");
        }
        // Playwright would otherwise look for (and offer to download) its own browser builds.
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        var playwright = await Playwright.CreateAsync();
        try
        {
            var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = ExecutablePath,
                Headless = true,
                Args = Args,
            });
            return new Chromium(playwright, browser);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }

    /// <summary>A fresh context (own cookies and sessionStorage) for one test, with downloads accepted.</summary>
    /// <param name="baseUrl">The control plane's address, so pages can be opened by their hash route.</param>
    public Task<IBrowserContext> NewContextAsync(Uri? baseUrl = null) =>
        Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseUrl?.ToString(),
            AcceptDownloads = true,
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
        });

    public async ValueTask DisposeAsync()
    {
        await Browser.CloseAsync();
        _playwright.Dispose();
    }
}
