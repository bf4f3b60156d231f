/*
 * The PerfTest console's plumbing (docs/console.md), shared by its pages in console.js: building elements, the
 * error box, and the API client. The token lives in sessionStorage only and travels in the X-Auth-Token header,
 * never in a URL. Classic script, no eval: it runs under the console's Content-Security-Policy.
 */
(function () {
  "use strict";

  const TOKEN_KEY = "perftest.token";

  // ---- DOM helpers ------------------------------------------------------------------------------------------------

  function el(tag, attrs, children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === "text") e.textContent = String(v);
      else if (k === "cls") e.className = v;
      else if (k === "on") for (const [ev, fn] of Object.entries(v)) e.addEventListener(ev, fn);
      else e.setAttribute(k, v === true ? "" : String(v));
    }
    for (const c of children || []) if (c) e.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    return e;
  }

  const $ = (id) => document.getElementById(id);
  const enc = encodeURIComponent;

  // ---- errors -----------------------------------------------------------------------------------------------------

  /** A failed call: the API's error_code and error_msg, or a named network failure. */
  class ApiError extends Error {
    constructor(status, code, message) {
      super(message);
      this.status = status;
      this.code = code;
    }
  }

  /** The error box exists only while it shows an error (tests count it: no box means no error). */
  function showError(err) {
    const code = err && err.code ? err.code : "CONSOLE";
    const msg = err && err.message ? err.message : String(err);
    $("errors").replaceChildren(el("div", { cls: "error", "data-testid": "error", role: "alert" },
      [el("strong", { text: code }), " " + msg]));
  }

  function clearError() {
    $("errors").replaceChildren();
  }

  // ---- API client -------------------------------------------------------------------------------------------------

  function token() {
    return sessionStorage.getItem(TOKEN_KEY) || "";
  }

  function authHeaders() {
    const t = token();
    return t ? { "X-Auth-Token": t } : {};
  }

  /** One call: JSON in and out; a non-2xx answer throws its error body (docs/errors.md). */
  async function api(method, path, body) {
    const headers = authHeaders();
    if (body !== undefined) headers["Content-Type"] = "application/json";
    let resp;
    try {
      resp = await fetch(path, { method, headers, cache: "no-store", body: body === undefined ? undefined : JSON.stringify(body) });
    } catch (e) {
      throw new ApiError(0, "NETWORK", `the control plane did not answer ${method} ${path} (network failure: ${e.message})`);
    }
    const text = await resp.text();
    let json = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch (e) {
      json = null;
    }
    if (!resp.ok) {
      if (json && json.error_code) throw new ApiError(resp.status, json.error_code, json.error_msg || "");
      throw new ApiError(resp.status, "HTTP " + resp.status, `${method} ${path} answered ${resp.status} ${resp.statusText}`);
    }
    return json;
  }

  /** Fetches `path` with the token header and saves the answer as `fileName`: the token never goes in a URL. */
  async function download(path, fileName) {
    let resp;
    try {
      resp = await fetch(path, { headers: authHeaders(), cache: "no-store" });
    } catch (e) {
      throw new ApiError(0, "NETWORK", `the control plane did not answer GET ${path} (network failure: ${e.message})`);
    }
    if (!resp.ok) {
      const body = await resp.json().catch(() => null);
      throw body && body.error_code ? new ApiError(resp.status, body.error_code, body.error_msg || "")
        : new ApiError(resp.status, "HTTP " + resp.status, `GET ${path} answered ${resp.status} ${resp.statusText}`);
    }
    const url = URL.createObjectURL(await resp.blob());
    const a = el("a", { href: url, download: fileName });
    document.body.appendChild(a);
    a.click();
    a.remove();
    // The browser has read the blob once the click's download started; free it a little later.
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  }

  /** Wraps an event handler: its failure goes to the error box, never to the console as a stack trace. */
  function guarded(fn) {
    return (...args) => {
      clearError();
      // Called at once (not in a later task), so a form handler's preventDefault still stops the native submit.
      let result;
      try {
        result = fn(...args);
      } catch (e) {
        showError(e);
        return Promise.resolve();
      }
      return Promise.resolve(result).catch(showError);
    };
  }

  window.PerfTestConsole = { TOKEN_KEY, el, $, enc, ApiError, showError, clearError, token, authHeaders, api, download, guarded };
})();
