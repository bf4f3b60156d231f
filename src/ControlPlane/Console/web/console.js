/*
 * The PerfTest console (docs/console.md): a one-page app on hash routes over the same REST API a client uses.
 *
 *   #/                              identity, then the IAM project chooser
 *   #/p/{iam}/projects              projects (test suites): list and create
 *   #/p/{iam}/projects/{id}         a project's tasks, and a form creating a task with one HTTP GET case
 *   #/p/{iam}/tasks/{id}            a task: cases, start, stop, manual stage level, runs history, compare
 *   #/p/{iam}/runs/{run}            a run's report, live while it runs (report.js draws it)
 *   #/p/{iam}/compare/{a}/{b}       two runs side by side
 *
 * The token lives in sessionStorage only and travels in the X-Auth-Token header, never in a URL.
 * Classic script, no eval, no inline handlers: it runs under the console's Content-Security-Policy.
 */
(function () {
  "use strict";

  const POLL_MS = 1000;
  // route: bumped on every navigation, so a page's pending polls see they belong to a page left behind;
  // views: the reports drawn by the current page (their charts and resize listeners go when it is left).
  const state = { identity: null, route: 0, views: [] };

  const { TOKEN_KEY, el, $, enc, ApiError, showError, clearError, token, api, download, guarded } = window.PerfTestConsole;

  /** GET /console/api/identity: who the token is and which IAM project ids it may use. null on 401. */
  async function loadIdentity() {
    try {
      state.identity = await api("GET", "/console/api/identity");
      state.authError = null;
    } catch (e) {
      if (e.status === 401) {
        state.identity = null;
        state.authError = e;
        return null;
      }
      throw e;
    }
    return state.identity;
  }

  // ---- shell: header, token form, project chooser ------------------------------------------------------------------

  function renderHeader(iam) {
    const id = state.identity;
    const nav = $("nav");
    nav.replaceChildren();
    if (!id) return;
    const ids = id.project_ids || [];
    // The page's own id is listed too: in dev mode it may be a tenant with no project yet.
    const listed = iam && !ids.includes(iam) ? ids.concat([iam]) : ids;
    nav.append(el("span", { cls: "muted", text: "signed in as " + id.caller }));
    if (listed.length > 0 || !id.any_project) {
      const select = el("select", { "data-testid": "project-select", "aria-label": "IAM project id" },
        [el("option", { value: "", text: "IAM project…" })].concat(listed.map((p) => el("option", { value: p, text: p, selected: p === iam }))));
      select.addEventListener("change", () => { if (select.value) go(`#/p/${enc(select.value)}/projects`); });
      nav.append(select);
    }
    if (id.any_project) {
      const input = el("input", { "data-testid": "project-input", placeholder: "any IAM project id", size: 18 });
      const form = el("form", { cls: "inline" }, [input, el("button", { type: "submit", "data-testid": "project-submit", text: "open" })]);
      form.addEventListener("submit", (ev) => {
        ev.preventDefault();
        if (input.value.trim()) go(`#/p/${enc(input.value.trim())}/projects`);
      });
      nav.append(form);
    }
    if (token()) {
      nav.append(el("button", { cls: "link", text: "sign out", on: { click: () => { sessionStorage.removeItem(TOKEN_KEY); state.identity = null; route(); } } }));
    }
  }

  function tokenForm(main) {
    const input = el("input", { type: "password", "data-testid": "token-input", autocomplete: "off", placeholder: "X-Auth-Token", size: 40 });
    const form = el("form", { cls: "card" }, [
      el("h1", { text: "Sign in" }),
      el("p", { text: "This PerfTest asks for credentials. Paste a token (one of Auth:Tokens): it is kept in this tab's session storage only and sent as the X-Auth-Token header." }),
      input, " ", el("button", { type: "submit", "data-testid": "token-submit", text: "sign in" }),
    ]);
    form.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      clearError();
      sessionStorage.setItem(TOKEN_KEY, input.value.trim());
      const id = await loadIdentity().catch((e) => { showError(e); return undefined; });
      if (id === null) {
        sessionStorage.removeItem(TOKEN_KEY);
        showError(state.authError);
      } else if (id) {
        route();
      }
    });
    main.replaceChildren(form);
    input.focus();
  }

  function chooserPage(main) {
    const ids = state.identity.project_ids || [];
    if (ids.length === 1 && !state.identity.any_project) {
      go(`#/p/${enc(ids[0])}/projects`);
      return;
    }
    main.replaceChildren(el("div", { cls: "card" }, [
      el("h1", { text: "Choose an IAM project" }),
      el("p", { text: state.identity.any_project
        ? "Dev mode (no credentials configured): pick a tenant that has projects, or type any IAM project id above."
        : "Pick one of the IAM project ids your token may use, above." }),
      el("ul", {}, ids.map((p) => el("li", {}, [el("a", { href: `#/p/${enc(p)}/projects`, text: p })]))),
    ]));
  }

  // ---- pages ------------------------------------------------------------------------------------------------------

  const v1 = (iam) => "/v1/" + enc(iam);

  async function projectsPage(main, iam) {
    const list = el("tbody");
    const name = el("input", { "data-testid": "new-project-name", placeholder: "project name", required: true, maxlength: 128 });
    const form = el("form", { cls: "inline card" }, [el("h3", { text: "New project" }), name, " ",
      el("button", { type: "submit", "data-testid": "new-project-submit", text: "create" })]);
    main.replaceChildren(el("h1", { text: "Projects of " + iam }),
      el("table", { cls: "list" }, [el("thead", {}, [el("tr", {}, [el("th", { text: "id" }), el("th", { text: "name" }), el("th", { text: "description" })])]), list]), form);
    async function load() {
      const r = await api("GET", `${v1(iam)}/test-suites`);
      list.replaceChildren(...(r.projects || []).map((p) => el("tr", { "data-testid": "project-row", "data-id": p.id }, [
        el("td", { text: p.id }), el("td", {}, [el("a", { href: `#/p/${enc(iam)}/projects/${p.id}`, text: p.name })]), el("td", { text: p.description || "" })])));
      if (!(r.projects || []).length) list.replaceChildren(el("tr", {}, [el("td", { colspan: 3, cls: "muted", text: "no projects yet: create one below" })]));
    }
    form.addEventListener("submit", guarded(async (ev) => {
      ev.preventDefault();
      await api("POST", `${v1(iam)}/test-suites`, { name: name.value.trim() });
      name.value = "";
      await load();
    }));
    await load();
  }

  /** Creates a task with one case: one HTTP GET card to `url`, one concurrency stage of `vus` VUs for `seconds` s. */
  async function createSimpleTask(iam, projectId, taskName, url, vus, seconds) {
    const task = await api("POST", `${v1(iam)}/tasks`, { name: taskName, project_id: projectId });
    const created = await api("POST", `${v1(iam)}/task-cases`, { name: "GET " + url.replace(/^https?:\/\//, "").slice(0, 100), type: 0, task_id: task.task_id });
    const caseId = created.json.task_case_id;
    const card = { name: "GET", method: "GET", url, protocol_type: url.startsWith("https://") ? 2 : 1, connect_timeout: 5000,
      return_timeout: 5000, headers: [], body_type: 0, bodys: [] };
    await api("PUT", `${v1(iam)}/task-cases/${caseId}/target/content`,
      { contents: [{ content_id: 0, data_type: 0, content: [{ content_type: 2, content: card }] }] });
    await api("PUT", `${v1(iam)}/task-cases/${caseId}/target/stage`,
      { stages: [{ name: "stage 1", operate_mode: 0, time: seconds, pressure_mode: 0, issue_num: vus }] });
    return task.task_id;
  }

  async function projectPage(main, iam, projectId) {
    const r = await api("GET", `${v1(iam)}/test-suites/${projectId}`);
    const list = el("tbody");
    const f = {
      name: el("input", { "data-testid": "new-task-name", placeholder: "task name", required: true, maxlength: 128 }),
      url: el("input", { "data-testid": "new-task-url", placeholder: "http://127.0.0.1:8080/", required: true, size: 40 }),
      vus: el("input", { "data-testid": "new-task-vus", type: "number", min: 1, value: 10, required: true }),
      duration: el("input", { "data-testid": "new-task-duration", type: "number", min: 1, value: 60, required: true }),
    };
    const label = (text, input) => el("label", {}, [text + " ", input]);
    const form = el("form", { cls: "card" }, [el("h3", { text: "New task (one HTTP GET case, one stage)" }),
      label("name", f.name), label("target URL", f.url), label("VUs", f.vus), label("duration (s)", f.duration), " ",
      el("button", { type: "submit", "data-testid": "new-task-submit", text: "create" })]);
    main.replaceChildren(el("p", { cls: "crumbs" }, [el("a", { href: `#/p/${enc(iam)}/projects`, text: "projects" }), " / " + r.project.name]),
      el("h1", { text: "Project " + r.project.name }),
      el("table", { cls: "list" }, [el("thead", {}, [el("tr", {}, ["id", "task", "updated", "latest run"].map((h) => el("th", { text: h })))]), list]), form);
    async function load() {
      const t = await api("GET", `${v1(iam)}/all-tasks/${projectId}`);
      list.replaceChildren(...(t.tasks || []).map((task) => {
        const runId = task.task_run_info && task.task_run_info.id;
        return el("tr", { "data-testid": "task-row", "data-id": task.id }, [el("td", { text: task.id }),
          el("td", {}, [el("a", { href: `#/p/${enc(iam)}/tasks/${task.id}`, text: task.name })]), el("td", { text: task.update_time || "" }),
          el("td", {}, [runId ? el("a", { href: `#/p/${enc(iam)}/runs/${runId}`, text: "run " + runId }) : "—"])]);
      }));
      if (!(t.tasks || []).length) list.replaceChildren(el("tr", {}, [el("td", { colspan: 4, cls: "muted", text: "no tasks yet: create one below" })]));
    }
    form.addEventListener("submit", guarded(async (ev) => {
      ev.preventDefault();
      await createSimpleTask(iam, Number(projectId), f.name.value.trim(), f.url.value.trim(), Number(f.vus.value), Number(f.duration.value));
      f.name.value = "";
      await load();
    }));
    await load();
  }

  function stageSummary(s) {
    const level = s.pressure_mode === 1 || s.pressure_mode === 4 || s.pressure_mode === 6 ? (s.tps_value || 0) + " TPS" : (s.issue_num || 0) + " VUs";
    const manual = s.voltage_regulating_mode === 1 || s.voltage_regulation_mode === 1 ? ", manual" : "";
    const length = s.operate_mode === 1 ? (s.count || 0) + " iterations" : (s.time || 0) + " s";
    return `${s.name || "stage"}: mode ${s.pressure_mode || 0}, ${level}, ${length}${manual}`;
  }

  function firstUrl(c) {
    for (const block of c.contents || []) for (const card of block.content || []) if (card.content && card.content.url) return card.content.url;
    return "";
  }

  /** The task's runs, newest first, refreshed every 2 s while the newest one goes; `latest()` is its id. */
  function runsHistory(iam, taskId, token, statusEl) {
    const body = el("tbody");
    let latest = null;
    let follow = null; // the one pending refresh while a run goes (a start or stop reloads at once and replaces it)
    async function load() {
      const list = (await api("GET", `${v1(iam)}/tasks/history-run-list/${taskId}`)).log_list || [];
      latest = list.length ? list[0].run_id : null;
      statusEl.textContent = list.length ? PerfTestReport.statusText(list[0].run_status) : "never ran";
      statusEl.className = "status" + (list.length ? " status-" + list[0].run_status : "");
      const checked = new Set(Array.from(body.querySelectorAll("input:checked"), (c) => c.value));
      body.replaceChildren(...list.map((run) => el("tr", { "data-testid": "run-row", "data-id": run.run_id }, [
        el("td", {}, [el("input", { type: "checkbox", "data-testid": "run-compare-check", value: run.run_id, checked: checked.has(String(run.run_id)), "aria-label": "compare run " + run.run_id })]),
        el("td", {}, [el("a", { href: `#/p/${enc(iam)}/runs/${run.run_id}`, text: "run " + run.run_id })]),
        el("td", { text: PerfTestReport.statusText(run.run_status) }), el("td", { text: run.start_time || "" }),
        el("td", { text: run.end_time || "" }), el("td", { text: run.continue_time })])));
      if (!list.length) body.replaceChildren(el("tr", {}, [el("td", { colspan: 6, cls: "muted", text: "no runs yet" })]));
      clearTimeout(follow);
      if (list.length > 0 && [0, 5].includes(list[0].run_status)) {
        follow = setTimeout(() => { if (token === state.route) load().catch(showError); }, 2 * POLL_MS);
      }
    }
    const table = el("table", { cls: "list" }, [el("thead", {}, [el("tr", {},
      ["compare", "run", "status", "start", "end", "duration (s)"].map((h) => el("th", { text: h })))]), body]);
    const checkedRuns = () => Array.from(body.querySelectorAll("input[type=checkbox]:checked"), (c) => Number(c.value)).sort((x, y) => x - y);
    // started: a run the page has just started is the latest at once, before the history is read again.
    return { table, load, latest: () => latest, started: (run) => { latest = run; }, checkedRuns };
  }

  /** Start, stop and a manual stage's level of the task's latest run; what happened goes to `notice`. */
  function taskControls(iam, info, runs, notice) {
    const taskPath = `${v1(iam)}/test-suites/${info.project_id}/tasks/${info.id}`;
    const action = (status) => ({ cluster_id: 0, cluster_type: "shared-cluster-internet", without_package: 0, network_info: { network_type: "internet" }, status });
    const say = (...parts) => { notice.replaceChildren(...parts); notice.hidden = false; };
    const start = el("button", { "data-testid": "task-start", text: "start", on: { click: guarded(async () => {
      const run = (await api("POST", taskPath, action(9))).result.task_run_id;
      runs.started(run);
      say(`Run ${run} started: `, el("a", { href: `#/p/${enc(iam)}/runs/${run}`, text: "open its live report" }));
      await runs.load();
    }) } });
    const stop = el("button", { "data-testid": "task-stop", text: "stop", on: { click: guarded(async () => { await api("POST", taskPath, action(2)); await runs.load(); }) } });
    const level = el("input", { "data-testid": "stage-level-input", type: "number", min: 0, required: true, placeholder: "VUs or TPS" });
    const levelForm = el("form", { cls: "inline" }, [el("label", {}, ["manual stage level ", level]), " ",
      el("button", { type: "submit", "data-testid": "stage-level-submit", text: "set" })]);
    levelForm.addEventListener("submit", guarded(async (ev) => {
      ev.preventDefault();
      const run = runs.latest();
      if (!run) throw new ApiError(0, "CONSOLE", "this task has no run to regulate: start it first");
      const r = await api("PUT", `${v1(iam)}/task-run-infos/${run}/stage-level`, { level: Number(level.value) });
      say(`Level ${r.level} set on case run(s) ${(r.case_run_ids || []).join(", ")} of run ${run}.`);
    }));
    return el("div", { cls: "actions" }, [start, stop, levelForm]);
  }

  async function taskPage(main, iam, taskId, token) {
    const info = (await api("GET", `${v1(iam)}/tasks/${taskId}`)).taskInfo;
    const statusEl = el("span", { "data-testid": "task-status", cls: "status" });
    const notice = el("p", { cls: "notice", hidden: true });
    const runs = runsHistory(iam, taskId, token, statusEl);
    const compare = el("button", { "data-testid": "compare-submit", text: "compare the two checked runs", on: { click: () => {
      const checked = runs.checkedRuns();
      if (checked.length !== 2) return showError(new ApiError(0, "CONSOLE", `check exactly two runs to compare (${checked.length} checked)`));
      go(`#/p/${enc(iam)}/compare/${checked[0]}/${checked[1]}`);
    } } });
    const cases = (info.case_list || []).map((c) => el("tr", { "data-testid": "case-row", "data-id": c.case_id }, [el("td", { text: c.case_id }),
      el("td", { text: c.name }), el("td", { text: firstUrl(c) }), el("td", { text: (c.stages || []).map(stageSummary).join("; ") })]));
    main.replaceChildren(
      el("p", { cls: "crumbs" }, [el("a", { href: `#/p/${enc(iam)}/projects`, text: "projects" }), " / ",
        el("a", { href: `#/p/${enc(iam)}/projects/${info.project_id}`, text: "project " + info.project_id }), " / " + info.name]),
      el("h1", {}, ["Task " + info.name + " ", statusEl]),
      taskControls(iam, info, runs, notice), notice,
      el("h2", { text: "Cases" }),
      el("table", { cls: "list" }, [el("thead", {}, [el("tr", {}, ["id", "case", "first URL", "stages"].map((h) => el("th", { text: h })))]),
        el("tbody", {}, cases.length ? cases : [el("tr", {}, [el("td", { colspan: 4, cls: "muted", text: "no cases" })])])]),
      el("h2", { text: "Runs" }), runs.table, compare);
    await runs.load();
  }


  /**
   * A run's report in `container`, polled every second while it is live: each poll asks for the points from 5 s
   * before the last one (they may still grow as executors' seconds arrive); a change of resolution (the run passed
   * 1,800 s) refetches them all. Once `live` is false, one last full fetch, then it stops.
   */
  async function liveReport(container, iam, runId, token, options) {
    const path = `/v1/${enc(iam)}/console/task-runs/${runId}`;
    const first = await api("GET", path);
    const view = PerfTestReport.render(container, first, options || {});
    state.views.push(view);
    let live = first.task_run.live;
    // A page left while a fetch was on its way: the answer is dropped (its charts are gone).
    const left = new Error("page left");
    const get = async (url) => {
      const r = await api("GET", url);
      if (token !== state.route) throw left;
      return r;
    };
    const once = async () => {
      const last = view.lastPointTime();
      const since = live && last !== null ? last - 5 : null;
      const r = await get(since === null ? path : `${path}?since=${since}`);
      const had = view.resolutions();
      if (r.cases.some((c, i) => had[i] !== undefined && had[i] !== c.resolution)) view.update(await get(path), undefined);
      else view.update(r, since === null ? undefined : since);
      if (live && !r.task_run.live) {
        live = false; // the run ended: one final full fetch, then no more
        view.update(await get(path), undefined);
      }
    };
    const poll = async () => {
      if (token !== state.route) return;
      // A failed poll (the control plane restarting, a network blip) is shown, and the next second tries again.
      await once().catch((e) => { if (e !== left) showError(e); });
      if (live && token === state.route) setTimeout(poll, POLL_MS);
    };
    if (live) setTimeout(poll, POLL_MS);
    return view;
  }

  async function runPage(main, iam, runId, token) {
    const exportBtn = el("button", { "data-testid": "export-html", text: "export HTML report", on: { click: guarded(() => download(`${v1(iam)}/task-run-infos/${runId}/reports/html`, `perftest-run-${runId}.html`)) } });
    const holder = el("div");
    const crumbs = el("p", { cls: "crumbs" }, [el("a", { href: `#/p/${enc(iam)}/projects`, text: "projects" }), " / run " + runId, " "]);
    main.replaceChildren(crumbs, holder);
    const view = await liveReport(holder, iam, runId, token);
    const run = view.run();
    crumbs.replaceChildren(el("a", { href: `#/p/${enc(iam)}/projects`, text: "projects" }), " / ",
      el("a", { href: `#/p/${enc(iam)}/projects/${run.project_id}`, text: "project " + run.project_id }), " / ",
      el("a", { href: `#/p/${enc(iam)}/tasks/${run.task_id}`, text: "task " + run.task_name }), " / run " + runId + " ", exportBtn);
  }

  async function comparePage(main, iam, a, b, token) {
    const left = el("div", { cls: "compare-col", "data-testid": "compare-left" });
    const right = el("div", { cls: "compare-col", "data-testid": "compare-right" });
    main.replaceChildren(el("p", { cls: "crumbs" }, [el("a", { href: `#/p/${enc(iam)}/projects`, text: "projects" }), ` / compare run ${a} with run ${b}`]),
      el("div", { cls: "compare" }, [left, right]));
    // Both runs on "seconds since their first point", one cursor for every chart: second 30 of one beside second 30 of the other.
    const options = { relative: true, syncKey: `compare-${a}-${b}` };
    await Promise.all([liveReport(left, iam, a, token, options), liveReport(right, iam, b, token, options)]);
  }

  // ---- router -----------------------------------------------------------------------------------------------------

  function go(hash) {
    if (location.hash === hash) route();
    else location.hash = hash;
  }

  const ROUTES = [
    [/^#\/p\/([^/]+)\/projects$/, (m, iam) => projectsPage(m, iam)],
    [/^#\/p\/([^/]+)\/projects\/(\d+)$/, (m, iam, id) => projectPage(m, iam, id)],
    [/^#\/p\/([^/]+)\/tasks\/(\d+)$/, (m, iam, id, t) => taskPage(m, iam, id, t)],
    [/^#\/p\/([^/]+)\/runs\/(\d+)$/, (m, iam, id, t) => runPage(m, iam, id, t)],
    [/^#\/p\/([^/]+)\/compare\/(\d+)\/(\d+)$/, (m, iam, a, b, t) => comparePage(m, iam, a, b, t)],
  ];

  async function route() {
    const routeToken = ++state.route;
    state.views.forEach((v) => v.destroy());
    state.views = [];
    const main = $("main");
    clearError();
    try {
      // Asked on every navigation: cheap, and in dev mode the list of tenants grows as projects are made.
      if ((await loadIdentity()) === null) {
        renderHeader(null);
        tokenForm(main);
        // A token kept from before that is no longer accepted (the service's tokens changed): say why.
        if (token()) showError(state.authError);
        return;
      }
      const hash = location.hash || "#/";
      for (const [re, page] of ROUTES) {
        const m = hash.match(re);
        if (m) {
          const iam = decodeURIComponent(m[1]);
          renderHeader(iam);
          main.replaceChildren(el("p", { cls: "muted", text: "loading…" }));
          return await page(main, iam, ...m.slice(2), routeToken);
        }
      }
      renderHeader(null);
      chooserPage(main);
    } catch (e) {
      if (routeToken !== state.route) return;
      if (e.status === 401) {
        state.identity = null;
        renderHeader(null);
        tokenForm(main);
      } else if (main.textContent === "loading…") {
        main.replaceChildren();
      }
      showError(e);
    }
  }

  window.addEventListener("hashchange", route);
  window.addEventListener("DOMContentLoaded", route);
})();
