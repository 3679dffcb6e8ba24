// mockbi console: plain JS over the admin API (/__mockbi/...). No framework, no network beyond this server.
// Everything shown comes from client traffic, so it is written with textContent, never as HTML.
"use strict";

// the admin API this page belongs to: /__mockbi, or a tenant's /__mockbi/tenants/{name}
const ADMIN = location.pathname.replace(/\/+$/, "");
const TOKEN_KEY = "mockbi-admin-token";
const MAX_ROWS = 1000;
const state = { vendors: [], calls: [], lastSeq: 0, selectedSeq: null, polling: false };

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (key === "class") node.className = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else if (value !== undefined && value !== null) node.setAttribute(key, value);
  }
  for (const child of children) node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  return node;
}

const $ = (id) => document.getElementById(id);
const pretty = (value) => (typeof value === "string" ? value : JSON.stringify(value, null, 2));

async function api(method, path, body) {
  const headers = {};
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(ADMIN + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (response.status === 401) {
    askForToken();
    throw new Error("the admin API needs a token");
  }
  const text = await response.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch { data = text; }
  return { status: response.status, ok: response.ok, data };
}

function askForToken() {
  $("token-button").hidden = false;
  const dialog = $("token-dialog");
  if (!dialog.open) dialog.showModal();
}

function copyButton(text) {
  return el("button", { type: "button", class: "copy", title: "Copy", onclick: () => navigator.clipboard?.writeText(text) }, "copy");
}

// --- vendors and world ------------------------------------------------------------------------------
async function loadVendors() {
  const { data } = await api("GET", "/vendors");
  state.vendors = data.vendors;
  const cards = $("vendor-cards");
  cards.replaceChildren();
  for (const vendor of state.vendors) {
    const list = el("dl", {}, el("dt", {}, "base URL"),
      el("dd", { "data-testid": `base-url-${vendor.name}`, title: vendor.base_url }, vendor.base_url),
      copyButton(vendor.base_url));
    for (const [key, value] of Object.entries(vendor.credentials)) {
      const text = typeof value === "string" ? value : JSON.stringify(value);
      list.append(el("dt", {}, key), el("dd", { title: text }, text), copyButton(text));
    }
    cards.append(el("div", { class: "card", "data-vendor": vendor.name }, el("h3", {}, `${vendor.name} `,
      el("span", { class: "badge" }, vendor.kind)), list));
  }
  for (const id of ["filter-vendor", "fault-vendor"]) {
    const select = $(id);
    const keepAll = id === "filter-vendor";
    select.replaceChildren(...(keepAll ? [el("option", { value: "" }, "all")] : []),
      ...state.vendors.map((v) => el("option", { value: v.name }, v.name)));
  }
}

async function loadWorld() {
  const { data } = await api("GET", "/info");
  $("world").textContent = `v${data.version} · seed ${data.seed} · scenario ${data.scenario}` + (data.strict ? " · strict" : "");
  $("clock-now").textContent = data.clock.now;
  $("clock-mode").textContent = data.clock.mode;
}

// --- journal ----------------------------------------------------------------------------------------
function flagged(call) {
  return (call.violations && call.violations.length > 0) || Boolean(call.fault ?? call.fired_fault ?? call.fault_rule);
}

function statusMatches(status, wanted) {
  if (!wanted) return true;
  if (/^[1-5]xx$/i.test(wanted)) return String(status)[0] === wanted[0];
  return String(status) === wanted.trim();
}

function visibleCalls() {
  const vendor = $("filter-vendor").value;
  const operation = $("filter-operation").value.trim().toLowerCase();
  const status = $("filter-status").value.trim();
  const onlyFlagged = $("filter-flagged").checked;
  return state.calls.filter((c) => (!vendor || c.vendor === vendor)
    && (!operation || String(c.operation_id ?? "").toLowerCase().includes(operation))
    && statusMatches(c.status, status) && (!onlyFlagged || flagged(c)));
}

function journalRow(call) {
  const badges = el("td");
  if (call.violations?.length) badges.append(el("span", { class: "badge bad" }, `${call.violations.length} violation(s)`));
  const fault = call.fault ?? call.fired_fault ?? call.fault_rule;
  if (fault) badges.append(el("span", { class: "badge warn" }, "fault"));
  const classes = [call.violations?.length ? "violation" : "", fault ? "fault" : "", call.seq === state.selectedSeq ? "selected" : ""];
  return el("tr", { class: classes.join(" ").trim(), "data-seq": call.seq, onclick: () => showCall(call) },
    el("td", {}, call.seq), el("td", {}, (call.at || "").replace("T", " ").slice(0, 19)), el("td", {}, call.vendor ?? "—"),
    el("td", {}, call.method), el("td", { class: "path" }, call.path + (call.query ? `?${call.query}` : "")),
    el("td", {}, call.operation_id ?? "—"), el("td", { class: `status-${String(call.status)[0]}` }, call.status), badges);
}

function renderJournal() {
  $("journal-rows").replaceChildren(...visibleCalls().slice().reverse().map(journalRow));
}

function showCall(call) {
  state.selectedSeq = call.seq;
  const parts = [el("h3", {}, `#${call.seq} ${call.method} ${call.path}`),
    el("p", {}, `${call.vendor ?? "no vendor"} · ${call.operation_id ?? "no operation"} · status ${call.status} · ${call.at}`)];
  const fault = call.fault ?? call.fired_fault ?? call.fault_rule;
  if (fault) parts.push(el("h3", {}, "Fired fault"), el("pre", {}, pretty(fault)));
  if (call.violations?.length) parts.push(el("h3", { class: "error" }, "Contract violations"), el("pre", {}, pretty(call.violations)));
  if (call.request_violations?.length) parts.push(el("h3", {}, "Request violations"), el("pre", {}, pretty(call.request_violations)));
  parts.push(el("h3", {}, "Request headers"), el("pre", {}, pretty(call.request_headers ?? {})),
    el("h3", {}, "Request body"), el("pre", {}, call.request_body === null ? "(none)" : pretty(call.request_body)),
    el("h3", {}, `Response (${call.content_type ?? "no content type"})`),
    el("pre", { "data-testid": "response-body" }, call.response_body === null ? "(empty)" : pretty(call.response_body)));
  $("call-detail").replaceChildren(...parts);
  renderJournal();
}

async function pollJournal() {
  if (state.polling || !$("journal-live").checked) return;
  state.polling = true;
  try {
    const { ok, data } = await api("GET", `/journal?after=${state.lastSeq}`);
    if (ok && data.calls.length) {
      state.calls.push(...data.calls);
      state.lastSeq = Math.max(state.lastSeq, ...data.calls.map((c) => c.seq));
      if (state.calls.length > MAX_ROWS) state.calls.splice(0, state.calls.length - MAX_ROWS);
      renderJournal();
    }
  } finally {
    state.polling = false;
  }
}

async function clearJournal() {
  await api("DELETE", "/journal");
  state.calls = [];
  state.selectedSeq = null;
  renderJournal();
}

// --- state browser ----------------------------------------------------------------------------------
async function loadStores() {
  const { data } = await api("GET", "/stores");
  const tree = $("state-tree");
  tree.replaceChildren();
  for (const [vendor, collections] of Object.entries(data.stores)) {
    const items = Object.entries(collections).map(([name, count]) => el("li", { class: "collection" },
      el("a", { href: "#", "data-collection": `${vendor}/${name}`, onclick: (event) => { event.preventDefault(); showCollection(vendor, name); } }, name),
      el("span", { class: "badge", "data-count": `${vendor}/${name}` }, count)));
    tree.append(el("h3", {}, vendor), el("ul", {}, ...items));
  }
}

async function showCollection(vendor, name) {
  const { ok, data } = await api("GET", `/stores/${encodeURIComponent(vendor)}/${encodeURIComponent(name)}`);
  const detail = $("state-detail");
  if (!ok) { detail.replaceChildren(el("p", { class: "error" }, data.error)); return; }
  const parts = [el("h3", {}, `${vendor}.${name} (${data.count}${data.truncated ? ", first 500 shown" : ""})`)];
  for (const item of data.items) {
    const value = item.value ?? {};
    const label = value.name ?? value.title ?? value.email ?? value.uuid ?? "";
    parts.push(el("details", {}, el("summary", {}, label ? `${item.key} — ${label}` : String(item.key)), el("pre", {}, pretty(item.value))));
  }
  detail.replaceChildren(...parts);
}

// --- faults -----------------------------------------------------------------------------------------
function describeAction(rule) {
  const parts = [];
  for (const key of ["status", "latency", "disconnect", "truncate", "malformed", "slow_body", "rate_limit", "sequence"]) {
    if (rule[key] !== undefined && rule[key] !== null && rule[key] !== false && rule[key] !== 0) parts.push(`${key}=${pretty(rule[key])}`);
  }
  return parts.join(" ");
}

function describePolicy(rule) {
  const parts = [];
  for (const key of ["times", "after", "every", "probability"]) {
    if (rule[key] !== undefined && rule[key] !== null && !(key === "probability" && rule[key] === 1)) parts.push(`${key}=${rule[key]}`);
  }
  return parts.join(" ") || "every call";
}

async function loadFaults() {
  const { data } = await api("GET", "/faults");
  $("fault-rows").replaceChildren(...data.faults.map((rule, index) => el("tr", { "data-fault": index },
    el("td", {}, index), el("td", {}, rule.vendor), el("td", {}, rule.operation_id), el("td", {}, describeAction(rule)),
    el("td", {}, describePolicy(rule)),
    el("td", {}, el("button", { type: "button", onclick: () => removeFault(index) }, "remove")))));
}

async function addFault(event) {
  event.preventDefault();
  const rule = { vendor: $("fault-vendor").value, operation_id: $("fault-operation").value.trim() || "*" };
  const status = $("fault-status").value, latency = Number($("fault-latency").value || 0), times = $("fault-times").value;
  if (status) rule.status = Number(status);
  if (latency) rule.latency = latency;
  rule.times = times ? Number(times) : null;
  const bodyText = $("fault-body").value.trim();
  try {
    if (bodyText) rule.body = JSON.parse(bodyText);
  } catch (error) {
    $("fault-error").textContent = `body: ${error.message}`;
    return;
  }
  const { ok, data } = await api("POST", "/faults", rule);
  $("fault-error").textContent = ok ? "" : data.error;
  await loadFaults();
}

async function removeFault(index) {
  await api("DELETE", `/faults/${index}`);
  await loadFaults();
}

// --- clock and reset --------------------------------------------------------------------------------
async function moveClock(body) {
  const { ok, data } = await api("POST", "/clock", body);
  if (ok) { $("clock-now").textContent = data.now; $("clock-mode").textContent = data.mode; }
}

async function resetWorld(event) {
  event.preventDefault();
  const body = {};
  if ($("reset-seed").value !== "") body.seed = Number($("reset-seed").value);
  if ($("reset-scenario").value.trim()) body.scenario = $("reset-scenario").value.trim();
  const { ok, data } = await api("POST", "/reset", body);
  $("reset-result").textContent = ok ? `reset to seed ${data.seed}, scenario ${data.scenario}` : data.error;
  if (ok) {
    state.calls = [];
    state.selectedSeq = null;
    renderJournal();
    await Promise.all([loadWorld(), loadVendors(), loadStores(), loadFaults()]);
  }
}

// --- coverage and snapshots (shown when the server offers them) ---------------------------------------
async function loadCoverage() {
  const target = $("coverage");
  const { ok, data } = await api("GET", "/coverage/client");
  if (!ok) { target.replaceChildren(el("p", { class: "muted" }, "This server does not report client coverage.")); return; }
  const vendors = data.vendors ?? data;
  const parts = [];
  for (const [name, report] of Object.entries(vendors)) {
    if (typeof report !== "object" || report === null) continue;
    parts.push(el("h3", {}, name), el("pre", {}, pretty(report)));
  }
  target.replaceChildren(...(parts.length ? parts : [el("pre", {}, pretty(data))]));
}

async function loadSnapshots() {
  const { ok, data } = await api("GET", "/snapshots");
  const list = $("snapshot-list");
  if (!ok) { list.replaceChildren(el("li", { class: "muted" }, "This server does not offer snapshots.")); return; }
  const names = (data.snapshots ?? []).map((s) => (typeof s === "string" ? s : s.name));
  list.replaceChildren(...names.map((name) => el("li", {}, name, " ",
    el("button", { type: "button", onclick: () => snapshotAction("POST", `/snapshots/${encodeURIComponent(name)}/restore`) }, "restore"), " ",
    el("button", { type: "button", onclick: () => snapshotAction("DELETE", `/snapshots/${encodeURIComponent(name)}`) }, "delete"))));
}

async function snapshotAction(method, path, body) {
  const { ok, data } = await api(method, path, body);
  $("snapshot-error").textContent = ok ? "" : (data?.error ?? "failed");
  await loadSnapshots();
}

// --- wiring -----------------------------------------------------------------------------------------
const loaders = { state: loadStores, faults: loadFaults, clock: loadWorld, coverage: loadCoverage, snapshots: loadSnapshots };

function selectTab(name) {
  for (const button of document.querySelectorAll("#tabs button")) button.setAttribute("aria-selected", String(button.dataset.tab === name));
  for (const section of document.querySelectorAll(".tab")) section.hidden = section.id !== `tab-${name}`;
  loaders[name]?.();
}

async function start() {
  for (const button of document.querySelectorAll("#tabs button")) button.addEventListener("click", () => selectTab(button.dataset.tab));
  for (const id of ["filter-vendor", "filter-operation", "filter-status", "filter-flagged"]) $(id).addEventListener("input", renderJournal);
  $("journal-filters").addEventListener("submit", (event) => event.preventDefault());
  $("journal-clear").addEventListener("click", clearJournal);
  $("fault-form").addEventListener("submit", addFault);
  $("clock-form").addEventListener("submit", (event) => { event.preventDefault(); moveClock({ advance: Number($("clock-advance").value || 0) }); });
  $("clock-freeze").addEventListener("click", () => moveClock({ mode: "frozen" }));
  $("clock-wall").addEventListener("click", () => moveClock({ mode: "wall" }));
  $("reset-form").addEventListener("submit", resetWorld);
  $("snapshot-form").addEventListener("submit", (event) => {
    event.preventDefault();
    snapshotAction("POST", "/snapshots", { name: $("snapshot-name").value.trim() });
  });
  $("token-button").addEventListener("click", askForToken);
  $("token-form").addEventListener("submit", () => {
    sessionStorage.setItem(TOKEN_KEY, $("token-input").value);
    $("token-input").value = "";
    boot();
  });
  await boot();
  setInterval(pollJournal, 1000);
}

async function boot() {
  try {
    await Promise.all([loadVendors(), loadWorld()]);
    document.body.dataset.ready = "true";
    await pollJournal();
  } catch (error) {
    document.body.dataset.ready = "error";
  }
}

document.addEventListener("DOMContentLoaded", start);
