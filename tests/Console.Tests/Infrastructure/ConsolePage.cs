using System.Globalization;
using Microsoft.Playwright;

namespace PerfTest.Console.Tests.Infrastructure;

/// <summary>
/// The console's pages as the tests see them: through the <c>data-testid</c> hooks of the shared contract
/// (docs/console.md) and its hash routes. Every wait is on a condition in the page, never a fixed delay.
/// </summary>
public sealed class ConsolePage
{
    /// <summary>Longest wait for something the page shows after one API round trip.</summary>
    public static readonly TimeSpan Shown = TimeSpan.FromSeconds(15);

    private readonly List<string> _scriptErrors = [];

    public ConsolePage(IPage page)
    {
        Page = page;
        // Uncaught exceptions and console.error (a CSP violation is one): a page that works shows none.
        page.PageError += (_, error) => { lock (_scriptErrors) { _scriptErrors.Add(error); } };
        page.Console += (_, message) =>
        {
            if (message.Type == "error") { lock (_scriptErrors) { _scriptErrors.Add(message.Text); } }
        };
    }

    public IPage Page { get; }

    /// <summary>Script errors so far (for pages where no request fails; a failed fetch logs one too).</summary>
    public IReadOnlyList<string> ScriptErrors
    {
        get { lock (_scriptErrors) { return _scriptErrors.ToList(); } }
    }

    /// <summary>The element with this <c>data-testid</c>.</summary>
    public ILocator ById(string testId) => Page.GetByTestId(testId);

    /// <summary>Opens a hash route of the console, e.g. <c>/p/{iam}/runs/12</c>.</summary>
    public async Task OpenAsync(string route)
    {
        await Page.GotoAsync("/#" + route);
    }

    /// <summary>Signs in with a token on the token form (it is kept in sessionStorage, never in a URL).</summary>
    public async Task SignInAsync(string token)
    {
        await ById("token-input").FillAsync(token, new LocatorFillOptions { Timeout = Ms(Shown) });
        await ById("token-submit").ClickAsync();
    }

    /// <summary>Picks an IAM project id with whichever chooser the page offers: a select, or an input and a button.</summary>
    public async Task ChooseProjectAsync(string projectId)
    {
        var chooser = ById("project-select").Or(ById("project-input"));
        await chooser.First.WaitForAsync(new LocatorWaitForOptions { Timeout = Ms(Shown) });
        if (await ById("project-select").CountAsync() > 0)
        {
            await ById("project-select").SelectOptionAsync(projectId);
        }
        else
        {
            await ById("project-input").FillAsync(projectId);
            await ById("project-submit").ClickAsync();
        }
    }

    /// <summary>Clicks the link of the row with this test id that contains <paramref name="text"/>.</summary>
    public async Task FollowRowAsync(string rowTestId, string text)
    {
        var row = ById(rowTestId).Filter(new LocatorFilterOptions { HasText = text });
        await row.First.Locator("a").First.ClickAsync(new LocatorClickOptions { Timeout = Ms(Shown) });
    }

    /// <summary>The number the hash route holds after <paramref name="segment"/>, e.g. the task id of <c>/tasks/7</c>.</summary>
    public long IdInRoute(string segment)
    {
        var hash = new Uri(Page.Url).Fragment;
        var parts = hash.Split('/');
        var at = Array.IndexOf(parts, segment);
        if (at < 0 || at + 1 >= parts.Length)
        {
            throw new InvalidOperationException($"no /{segment}/ in {Page.Url}");
        }
        return long.Parse(parts[at + 1], CultureInfo.InvariantCulture);
    }

    /// <summary>Waits for the hash route to contain <paramref name="part"/>.</summary>
    public Task WaitForRouteAsync(string part) =>
        Page.WaitForFunctionAsync("part => location.hash.includes(part)", part, new PageWaitForFunctionOptions { Timeout = Ms(Shown) });

    /// <summary><c>data-points</c> of a chart: the points it draws now (0 when the attribute is missing).</summary>
    public static async Task<int> PointsAsync(ILocator chart)
    {
        var value = await chart.GetAttributeAsync("data-points");
        return int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : 0;
    }

    /// <summary>Waits until the chart <paramref name="testId"/> (within <paramref name="scope"/>, else the page) draws more than <paramref name="than"/> points; returns how many.</summary>
    public async Task<int> WaitForPointsAsync(string testId, int than, TimeSpan timeout, string scope = "")
    {
        var selector = (scope.Length > 0 ? $"[data-testid=\"{scope}\"] " : "") + $"[data-testid=\"{testId}\"]";
        var handle = await Page.WaitForFunctionAsync(
            "([selector, than]) => { const e = document.querySelector(selector); const n = e ? parseInt(e.getAttribute('data-points') || '0', 10) : 0; return n > than ? n : false; }",
            new object[] { selector, than }, new PageWaitForFunctionOptions { Timeout = Ms(timeout) });
        return await handle.JsonValueAsync<int>();
    }

    /// <summary>Waits until the cell <c>data-field=<paramref name="field"/></c> of a table reads <paramref name="expected"/> as a number.</summary>
    public Task WaitForFieldAsync(string tableTestId, string field, double expected, TimeSpan timeout, string scope = "")
    {
        var selector = (scope.Length > 0 ? $"[data-testid=\"{scope}\"] " : "") + $"[data-testid=\"{tableTestId}\"] [data-field=\"{field}\"]";
        return Page.WaitForFunctionAsync(
            "([selector, expected]) => { const c = document.querySelector(selector); return c !== null && Number(c.textContent.trim()) === expected; }",
            new object[] { selector, expected }, new PageWaitForFunctionOptions { Timeout = Ms(timeout) });
    }

    /// <summary>The <c>data-field</c> cells of each row of a table (or, for a table of one row, of the table): field → raw text.</summary>
    public static async Task<List<Dictionary<string, string>>> RowsAsync(ILocator table)
    {
        var rows = await table.EvaluateAsync<Dictionary<string, string>[]>("""
            t => {
              const rows = [...t.querySelectorAll('tr')].filter(r => r.querySelector('[data-field]'));
              const of = el => Object.fromEntries([...el.querySelectorAll('[data-field]')].map(c => [c.getAttribute('data-field'), c.textContent.trim()]));
              return rows.length > 0 ? rows.map(of) : [of(t)];
            }
            """);
        return rows.ToList();
    }

    private static float Ms(TimeSpan t) => (float)t.TotalMilliseconds;
}
