/*
 * PerfTest report rendering, shared by the console's report and compare pages and by the exported HTML file
 * (GET .../reports/html), which is why it never calls the API: it draws the report JSON it is given
 * (docs/console.md; the shape is GET /v1/{project_id}/console/task-runs/{task_run_id}).
 *
 *   PerfTestReport.render(container, report, options) -> { update(report, since) }
 *   PerfTestReport.renderStandalone()   // the exported file: reads the JSON script element #perftest-report
 *
 * Classic script, no eval, no inline handlers: it runs under the console's Content-Security-Policy.
 */
(function () {
  "use strict";

  const RUN_STATUS = { 9: "waiting", 0: "running", 5: "stopping", 4: "stopped", 2: "ended", 3: "stopped abnormally" };
  const POINT_FIELDS = ["t", "tps", "avg_ms", "tp50", "tp90", "tp99", "vusers", "success", "checkpoint_failed",
    "parse_failed", "refused", "timeout", "other_failed", "sent_bytes", "received_bytes"];

  // The five charts of a case run, on one time axis. Each series names a field of `points`.
  const CHARTS = [
    { id: "chart-tps", title: "TPS (requests/s)", unit: "req/s", series: [["tps", "TPS", "#2563eb"]] },
    { id: "chart-rt", title: "Response time (ms)", unit: "ms", series: [["avg_ms", "average", "#111827"],
      ["tp50", "tp50", "#16a34a"], ["tp90", "tp90", "#d97706"], ["tp99", "tp99", "#dc2626"]] },
    { id: "chart-vus", title: "Virtual users", unit: "VUs", series: [["vusers", "VUs", "#7c3aed"]] },
    { id: "chart-failures", title: "Failures by class (per s)", unit: "/s", series: [["checkpoint_failed", "checkpoint", "#dc2626"],
      ["parse_failed", "parse", "#d97706"], ["refused", "refused", "#7c3aed"], ["timeout", "timeout", "#0891b2"],
      ["other_failed", "other", "#6b7280"]] },
    { id: "chart-bandwidth", title: "Bandwidth (bytes/s)", unit: "B/s", bytes: true, series: [["sent_bytes", "sent", "#2563eb"],
      ["received_bytes", "received", "#16a34a"]] },
  ];

  // Columns of the case performance and per-request tables: [json field, header with unit].
  const PERF_COLUMNS = [
    ["requests", "requests"], ["successCount", "success"], ["errorCount", "errors"], ["successRate", "success %"],
    ["tps", "TPS (req/s)"], ["averageRespTime", "avg (ms)"], ["min", "min (ms)"], ["max", "max (ms)"],
    ["tp50", "tp50 (ms)"], ["tp75", "tp75 (ms)"], ["tp90", "tp90 (ms)"], ["tp95", "tp95 (ms)"], ["tp99", "tp99 (ms)"],
    ["tp999", "tp99.9 (ms)"], ["tp9999", "tp99.99 (ms)"],
    ["failedAssert", "checkpoint failed"], ["failedParsed", "parse failed"], ["failedRefused", "refused"],
    ["failedTimeout", "timeout"], ["failedOthers", "other failed"],
    ["sum1xx", "1xx"], ["sum2xx", "2xx"], ["sum3xx", "3xx"], ["sum4xx", "4xx"], ["sum5xx", "5xx"],
    ["avgSentBytes", "sent avg (B/s)"], ["avgRecBytes", "received avg (B/s)"],
    ["maxSentBytes", "sent max (B/s)"], ["maxRecBytes", "received max (B/s)"],
    ["currentThreadNum", "VUs (max)"], ["vum", "VUM (VU·min)"],
  ];
  const TRANSACTION_COLUMNS = [
    ["transactions", "transactions"], ["transactionSuccess", "succeeded"], ["transactionalSuccessRate", "success %"],
    ["tranTPS", "TPS (tx/s)"], ["avgTranRespTime", "avg (ms)"], ["maxTranRespTime", "max (ms)"],
  ].concat(PERF_COLUMNS);
  const STREAMING_FIELDS = ["streamingPlayTimes", "streamingErrorTimes", "streamingSuccessRate", "recvPackets", "sendPackets",
    "receivedPacketsPerSecond", "sentPacketsPerSecond", "audioRecBytes", "videoRecBytes", "audioSentBytes", "videoSentBytes",
    "keyFrameReceiveCnt", "sumRecvKeyFrameDelay", "avgRecvKeyFrameDelay", "minRecvKeyFrameDelay", "maxRecvKeyFrameDelay",
    "keyFrameSendCnt", "sumSendKeyFrameDelay", "avgSendKeyFrameDelay", "minSendKeyFrameDelay", "maxSendKeyFrameDelay",
    "tcpConnectFailed", "handShakeFailed", "rtmpConnectFailed", "createStreamFailed", "playFailed", "publishFailed",
    "retryFailed", "parseFileFailed", "illegalUrlFailed", "illegalFlvHeaderFailed", "httpTimeoutFailed",
    "parseFlvFileFailed", "unknownFailed"];
  const OUTLINE_FIELDS = [["startTime", "start"], ["endTime", "end"], ["duration", "duration (s)"], ["stage", "stages run"],
    ["maxUsers", "VUs (max)"], ["tps", "TPS (req/s)"], ["avgResponseTime", "avg response (ms)"], ["successRate", "success %"]];

  const X_INCREMENTS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 172800, 604800];

  let nextSyncKey = 1;

  function el(tag, attrs, children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined) continue;
      if (k === "text") e.textContent = String(v);
      else if (k === "cls") e.className = v;
      else e.setAttribute(k, String(v));
    }
    for (const c of children || []) if (c) e.appendChild(c);
    return e;
  }

  /** The raw JSON value as text (the table's contract: tests compare it with the API's numbers). */
  function raw(v) {
    return v === null || v === undefined ? "" : typeof v === "object" ? JSON.stringify(v) : String(v);
  }

  function statusText(status) {
    return RUN_STATUS[status] !== undefined ? RUN_STATUS[status] : "status " + status;
  }

  function formatBytes(v) {
    if (v === null || v === undefined) return "";
    const a = Math.abs(v);
    if (a >= 1e9) return (v / 1e9).toFixed(1) + " GB";
    if (a >= 1e6) return (v / 1e6).toFixed(1) + " MB";
    if (a >= 1e3) return (v / 1e3).toFixed(1) + " kB";
    return String(Math.round(v)) + " B";
  }

  /** A table whose cells carry data-field = the JSON field and hold its raw value. */
  function fieldTable(testid, columns, rows, nameHeader) {
    const head = el("tr", {}, [el("th", { text: nameHeader })].concat(columns.map((c) => el("th", { text: c[1] }))));
    const body = rows.map((r) => el("tr", { "data-name": r.name }, [el("td", { cls: "name", "data-field": "name", text: raw(r.name) })]
      .concat(columns.map((c) => el("td", { "data-field": c[0], text: raw(r[c[0]]) })))));
    return el("div", { cls: "table-scroll" }, [el("table", { "data-testid": testid, cls: "figures" },
      [el("thead", {}, [head]), el("tbody", {}, body)])]);
  }

  function section(title, children) {
    return el("section", { cls: "report-part" }, [el("h3", { text: title })].concat(children));
  }

  function emptyNote(text) {
    return el("p", { cls: "muted", text: text });
  }

  function outlineBlock(outline) {
    const items = OUTLINE_FIELDS.map((f) => el("div", { cls: "figure" }, [el("span", { cls: "label", text: f[1] }),
      el("span", { cls: "value", "data-field": f[0], text: raw(outline ? outline[f[0]] : null) })]));
    return el("div", { cls: "outline", "data-testid": "outline" }, items);
  }

  function rangesTable(ranges) {
    const rows = Object.entries(ranges || {}).map(([range, v]) => el("tr", {}, [el("td", { text: range }),
      el("td", { "data-field": range, text: raw(v) })]));
    return el("table", { "data-testid": "ranges-table", cls: "figures" }, [el("thead", {}, [el("tr", {}, [
      el("th", { text: "response time" }), el("th", { text: "share % (requests)" })])]), el("tbody", {}, rows)]);
  }

  /** streamingMediaVo of the case and of each request that played streams; null when none did. */
  function streamingTable(c) {
    const sources = [];
    if (c.performance && c.performance.streamingMediaVo) sources.push([c.name + " (case)", c.performance.streamingMediaVo]);
    for (const r of c.requests || []) if (r.streamingMediaVo) sources.push([r.name, r.streamingMediaVo]);
    if (sources.length === 0) return null;
    const head = el("tr", {}, [el("th", { text: "figure" })].concat(sources.map((s) => el("th", { text: s[0] }))));
    const body = STREAMING_FIELDS.map((f) => el("tr", {}, [el("td", { cls: "name", text: f })]
      .concat(sources.map((s) => el("td", { "data-field": f, text: raw(s[1][f]) })))));
    return section("Streaming media", [el("div", { cls: "table-scroll" }, [el("table", { "data-testid": "streaming-table", cls: "figures" },
      [el("thead", {}, [head]), el("tbody", {}, body)])])]);
  }

  function listTable(testid, columns, items, none) {
    if (!items || items.length === 0) return el("div", { "data-testid": testid }, [emptyNote(none)]);
    const head = el("tr", {}, columns.map((c) => el("th", { text: c[1] })));
    const body = items.map((it) => el("tr", {}, columns.map((c) => el("td", { "data-field": c[0], text: raw(it[c[0]]) }))));
    return el("table", { "data-testid": testid, cls: "figures" }, [el("thead", {}, [head]), el("tbody", {}, body)]);
  }

  /** Everything of a case run below its charts; rebuilt on every update (tables are cheap, charts are not). */
  function caseTables(c) {
    const perf = c.performance ? [Object.assign({}, c.performance, { name: c.name })] : [];
    const outline = c.outline || {};
    const parts = [
      section("Outline", [outlineBlock(c.outline)]),
      section("Case performance", [fieldTable("perf-table", PERF_COLUMNS, perf, "case")]),
      section("Requests", [fieldTable("requests-table", PERF_COLUMNS, c.requests || [], "request")]),
      section("Response-time ranges", [rangesTable(c.resp_time_range)]),
      section("Transactions", [(c.transactions || []).length === 0
        ? el("div", { "data-testid": "transactions-table" }, [emptyNote("no transactions in this case")])
        : fieldTable("transactions-table", TRANSACTION_COLUMNS, c.transactions, "transaction")]),
      streamingTable(c),
      section("Stage results", [listTable("stage-results", [["stage_index", "stage"], ["executor", "executor"],
        ["ended_by", "ended by"], ["estimated_concurrency", "estimated concurrency (VUs)"], ["maxRespTime", "avg response of that step (ms)"]],
        outline.stage_results, "no stage ended early by a KPI and no concurrency limit estimated")]),
      section("Executor membership", [listTable("group-changes", [["time", "time"], ["executor", "executor"], ["change", "change"],
        ["detail", "detail"]], c.group_changes, "no change: the executors stayed as they started")]),
    ];
    return parts.filter((p) => p);
  }

  /** uPlot's column data for one chart: x = the shared time axis, then one array per series. */
  function chartData(points, chart, origin) {
    const t = points.t || [];
    return [origin === null ? t : t.map((x) => x - origin)].concat(chart.series.map((s) => points[s[0]] || []));
  }

  function chartWidth(container) {
    const w = container.clientWidth || (container.parentElement && container.parentElement.clientWidth) || 900;
    return Math.max(320, Math.min(w - 16, 1400));
  }

  /** origin null: x is the wall clock; else seconds since origin (the compare page lines two runs up that way). */
  function makeChart(chart, points, holder, syncKey, origin) {
    const axisValues = chart.bytes ? (u, splits) => splits.map(formatBytes) : undefined;
    const opts = {
      title: chart.title,
      width: chartWidth(holder),
      height: 200,
      cursor: { sync: { key: syncKey, setSeries: true } },
      // y from 0: a load curve's level matters, not just its wiggle (30 vs 33 TPS is not a tenfold swing).
      scales: { x: { time: origin === null }, y: { range: (u, min, max) => [0, max > 0 ? max * 1.08 : 1] } },
      // Whole seconds at least: a run's points are seconds (or coarser), so ticks at :11.500 would mean nothing.
      axes: [Object.assign({ incrs: X_INCREMENTS }, origin === null ? {} : { label: "seconds since the run's first point", labelSize: 20 }), { values: axisValues, size: chart.bytes ? 70 : 55 }],
      series: [{ label: origin === null ? "time" : "second" }].concat(chart.series.map((s) => ({ label: s[1], stroke: s[2], width: 1.5,
        value: chart.bytes ? (u, v) => formatBytes(v) : undefined,
        // Dots only while there are too few points to draw a line (a run's first second).
        points: { show: (u) => u.data[0].length < 2 } }))),
    };
    return fitX(new window.uPlot(opts, chartData(points, chart, origin), holder));
  }

  /** One point alone spans no time: uPlot would then draw an x axis of years, so widen it by a second each side. */
  function fitX(plot) {
    const x = plot.data[0];
    if (x.length === 1) plot.setScale("x", { min: x[0] - 1, max: x[0] + 1 });
    return plot;
  }

  /** One case run: its heading, five synchronised charts, then its tables. */
  class CaseView {
    /**
     * options.syncKey: charts with one key move their cursors together (default: this case run's five charts);
     * options.relative: x in seconds since the first point instead of the wall clock.
     */
    constructor(c, options) {
      this.relative = !!options.relative;
      this.caseRunId = c.case_run_id;
      this.points = copyPoints(c.points);
      this.resolution = c.resolution;
      this.syncKey = options.syncKey || "perftest-" + nextSyncKey++;
      this.heading = el("h2", {});
      this.charts = el("div", { cls: "charts" });
      this.tables = el("div", { cls: "tables" });
      this.root = el("article", { cls: "case-run", "data-case-run-id": c.case_run_id }, [this.heading, this.charts, this.tables]);
      this.plots = [];
      this.data = c;
    }

    /** Charts need the element in the document to measure their width. */
    mount() {
      for (const chart of CHARTS) {
        const holder = el("div", { cls: "chart", "data-testid": chart.id });
        this.charts.appendChild(holder);
        this.plots.push({ chart, holder, plot: makeChart(chart, this.points, holder, this.syncKey, this.origin()) });
      }
      this.refresh(this.data);
    }

    refresh(c) {
      this.data = c;
      this.heading.textContent = "";
      this.heading.appendChild(document.createTextNode(c.name + " "));
      this.heading.appendChild(el("span", { cls: "status status-" + c.run_status, text: statusText(c.run_status) }));
      this.heading.appendChild(el("span", { cls: "muted small", text: " case run " + c.case_run_id + ", " + c.resolution + " s per point" }));
      if (c.error) this.heading.appendChild(el("div", { cls: "case-error", text: c.error }));
      for (const p of this.plots) {
        p.plot.setData(chartData(this.points, p.chart, this.origin()));
        fitX(p.plot);
        p.holder.setAttribute("data-points", String((this.points.t || []).length));
      }
      // Rebuilt every second while live: keep where the reader scrolled the wide tables to.
      const scrolled = Array.from(this.tables.querySelectorAll(".table-scroll"), (e) => e.scrollLeft);
      this.tables.replaceChildren(...caseTables(c));
      this.tables.querySelectorAll(".table-scroll").forEach((e, i) => { if (scrolled[i]) e.scrollLeft = scrolled[i]; });
    }

    /** Points from `since` on replace ours; without `since` (or at another resolution) they replace all of them. */
    merge(c, since) {
      if (since === undefined || since === null || c.resolution !== this.resolution) {
        this.points = copyPoints(c.points);
      } else {
        const keep = (this.points.t || []).filter((t) => t < since).length;
        for (const f of POINT_FIELDS) this.points[f] = (this.points[f] || []).slice(0, keep).concat((c.points || {})[f] || []);
      }
      this.resolution = c.resolution;
      this.refresh(c);
    }

    /** The first point's second, fixed once known (relative charts only). */
    origin() {
      if (!this.relative) return null;
      if (this.firstT === undefined && this.points.t.length) this.firstT = this.points.t[0];
      return this.firstT === undefined ? 0 : this.firstT;
    }

    resize() {
      for (const p of this.plots) p.plot.setSize({ width: chartWidth(p.holder), height: 200 });
    }
  }

  function copyPoints(points) {
    const out = {};
    for (const f of POINT_FIELDS) out[f] = ((points || {})[f] || []).slice();
    return out;
  }

  function runHeader(run) {
    const when = "started " + raw(run.start_time) + (run.end_time ? ", ended " + run.end_time : "");
    return el("header", { cls: "run-header" }, [
      el("h1", { text: "Task " + run.task_name + " — run " + run.id }),
      el("p", {}, [el("span", { "data-testid": "report-status", cls: "status status-" + run.run_status,
        text: statusText(run.run_status) + (run.live ? " (live)" : "") }),
      el("span", { cls: "muted", text: " · " + when + " · task " + run.task_id + " · project " + run.project_id })]),
    ]);
  }

  /**
   * Draws `report` into `container`. update(report, since) takes a later fetch: with `since`, its points replace
   * ours from that second on (the console polls with since = last point - 5 s); without it, all of them.
   */
  function render(container, report, options) {
    const opts = options || {};
    const root = el("div", { cls: "perftest-report" });
    const header = el("div");
    const casesEl = el("div", { cls: "cases" });
    root.append(header, casesEl);
    container.replaceChildren(root);
    const views = new Map();

    let run = report.task_run;
    function apply(r, since) {
      run = r.task_run;
      header.replaceChildren(runHeader(r.task_run));
      for (const c of r.cases || []) {
        let view = views.get(c.case_run_id);
        if (!view) {
          if (views.size === 0) casesEl.replaceChildren(); // the "no case runs yet" note
          view = new CaseView(c, opts);
          views.set(c.case_run_id, view);
          casesEl.appendChild(view.root);
          view.mount();
        } else {
          view.merge(c, since);
        }
      }
      if ((r.cases || []).length === 0 && views.size === 0) {
        casesEl.replaceChildren(emptyNote("this run has no case runs yet"));
      }
    }

    apply(report, undefined);
    const onResize = () => views.forEach((v) => v.resize());
    if (!opts.noResize) window.addEventListener("resize", onResize);
    return {
      update: (r, since) => apply(r, since),
      /** The task_run of the latest report drawn. */
      run: () => run,
      /**
       * The latest point of any case run (the console's `since` is 5 s before it): a case run that ended earlier keeps
       * its points, since merge only replaces points from `since` on.
       */
      lastPointTime: () => {
        let last = null;
        views.forEach((v) => { const t = v.points.t; if (t.length && (last === null || t[t.length - 1] > last)) last = t[t.length - 1]; });
        return last;
      },
      resolutions: () => Array.from(views.values()).map((v) => v.resolution),
      destroy: () => { window.removeEventListener("resize", onResize); views.forEach((v) => v.plots.forEach((p) => p.plot.destroy())); },
    };
  }

  /** The exported file: the report JSON is in #perftest-report, the page is drawn into #report. */
  function renderStandalone() {
    const source = document.getElementById("perftest-report");
    let target = document.getElementById("report");
    if (!target) {
      target = el("main", { id: "report" });
      document.body.appendChild(target);
    }
    let report;
    try {
      report = JSON.parse(source ? source.textContent : "null");
    } catch (e) {
      target.replaceChildren(el("p", { "data-testid": "error", cls: "error", text: "the report data of this file cannot be read: " + e.message }));
      return null;
    }
    if (!report || !report.task_run) {
      target.replaceChildren(el("p", { "data-testid": "error", cls: "error", text: "this file holds no report data" }));
      return null;
    }
    document.title = "PerfTest run " + report.task_run.id + " — " + report.task_run.task_name;
    return render(target, report, {});
  }

  window.PerfTestReport = { render, renderStandalone, statusText };
})();
