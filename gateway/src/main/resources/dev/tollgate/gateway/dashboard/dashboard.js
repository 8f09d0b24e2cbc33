// Tollgate spend dashboard: reads the admin API with the admin key the person types, keeps that key in this tab's
// sessionStorage only (never a URL, cookie or log), renders with textContent only (names come from requests and
// config, never trusted as HTML) and draws charts with the Chart.js shipped beside this file.
(() => {
  'use strict';

  const KEY_STORAGE = 'tollgate.adminKey';
  const ADMIN_API = new URL('../admin/', document.baseURI);
  const DIMENSIONS = ['day', 'team', 'key', 'model', 'tag'];
  const TOP_ROWS = 10;
  const RECENT_REQUESTS = 50;
  const MOST_GROUPS = 10000; // the API's largest page; has_more says when a dimension has even more groups
  const DAY_MS = 86400000;

  const $ = (id) => document.getElementById(id);
  const state = { period: null, filter: null, generation: 0, spend: {}, budgets: null, requests: null, charts: {} };

  // ---------- formatting ----------

  const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
  const dollars = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const cents = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', minimumFractionDigits: 2, maximumFractionDigits: 4 });
  const percent = new Intl.NumberFormat('en-US', { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 });

  /** A USD amount (the API's exact decimal string): whole cents from $1 up, up to 4 decimals below. */
  function usd(value) {
    const n = Number(value ?? 0);
    return Math.abs(n) >= 1 ? dollars.format(n) : cents.format(n);
  }

  function isoDay(date) {
    return date.toISOString().slice(0, 10);
  }

  function dayOf(iso) {
    return new Date(iso + 'T00:00:00Z');
  }

  function todayUtc() {
    return dayOf(isoDay(new Date()));
  }

  function label(group) {
    return group === null || group === undefined || group === '' ? '(none)' : String(group);
  }

  // ---------- admin API ----------

  class ApiError extends Error {
    constructor(status, message) {
      super(message);
      this.status = status;
    }
  }

  async function api(path, params) {
    const key = sessionStorage.getItem(KEY_STORAGE);
    if (!key) {
      throw new ApiError(401, 'Not signed in.');
    }
    const url = new URL(path, ADMIN_API);
    for (const [name, value] of Object.entries(params || {})) {
      url.searchParams.set(name, value);
    }
    let response;
    try {
      response = await fetch(url, {
        headers: { Authorization: 'Bearer ' + key, Accept: 'application/json' },
        cache: 'no-store', credentials: 'omit', referrerPolicy: 'no-referrer',
      });
    } catch (e) {
      throw new ApiError(0, 'The gateway did not answer (' + e.message + ').');
    }
    const body = await response.json().catch(() => null);
    if (!response.ok) {
      const message = body && body.error && body.error.message ? body.error.message : 'HTTP ' + response.status;
      throw new ApiError(response.status, message);
    }
    return body;
  }

  /** The period as the API takes it: from the first day's start to the day after the last (exclusive). */
  function rangeParams(period) {
    return { from: isoDay(period.from), to: isoDay(new Date(period.to.getTime() + DAY_MS)) };
  }

  /** The period and the drill-down filter (one dimension = one value), as query parameters. */
  function queryParams(period) {
    const params = rangeParams(period);
    if (state.filter) {
      params[state.filter.dimension] = state.filter.value;
    }
    return params;
  }

  function spend(dimension, period) {
    return api('spend', Object.assign({ group_by: dimension, limit: MOST_GROUPS }, queryParams(period)));
  }

  // ---------- sign-in ----------

  function showLogin(message) {
    state.generation++; // answers still on their way are dropped
    state.filter = null;
    for (const chart of Object.values(state.charts)) {
      chart.destroy();
    }
    state.charts = {};
    state.spend = {};
    state.budgets = null;
    state.requests = null;
    $('dashboard').hidden = true;
    $('sign-out').hidden = true;
    $('login').hidden = false;
    $('login-error').hidden = !message;
    $('login-error').textContent = message || '';
    $('admin-key').focus();
  }

  function showDashboard() {
    $('login').hidden = true;
    $('login-error').hidden = true;
    $('dashboard').hidden = false;
    $('sign-out').hidden = false;
  }

  async function signIn(event) {
    event.preventDefault();
    const input = $('admin-key');
    const key = input.value.trim();
    input.value = '';
    if (!key) {
      return;
    }
    sessionStorage.setItem(KEY_STORAGE, key);
    // one call checks the key first: a wrong key then costs one failed authentication, not seven, against the
    // gateway's per-address throttle
    $('sign-in').disabled = true;
    try {
      await api('budgets');
    } catch (e) {
      if (!refused(e)) {
        sessionStorage.removeItem(KEY_STORAGE);
        showLogin('Could not sign in: ' + e.message);
      }
      return;
    } finally {
      $('sign-in').disabled = false;
    }
    showDashboard();
    await load();
  }

  function signOut() {
    sessionStorage.removeItem(KEY_STORAGE);
    showLogin('');
  }

  function refused(error) {
    if (error instanceof ApiError && (error.status === 401 || error.status === 403)) {
      sessionStorage.removeItem(KEY_STORAGE);
      showLogin('The gateway refused this key: ' + error.message);
      return true;
    }
    return false;
  }

  // ---------- period ----------

  function setPeriodDays(days) {
    const to = todayUtc();
    $('to').value = isoDay(to);
    $('from').value = isoDay(new Date(to.getTime() - (days - 1) * DAY_MS));
  }

  function readPeriod() {
    const from = $('from').value;
    const to = $('to').value;
    if (!from || !to) {
      return null;
    }
    return { from: dayOf(from), to: dayOf(to) };
  }

  // ---------- loading ----------

  async function load() {
    const period = readPeriod();
    if (!period || period.from > period.to) {
      $('status').textContent = "Choose a 'From' day on or before the 'To' day.";
      return;
    }
    state.period = period;
    renderFilter();
    $('status').textContent = 'Loading…';
    $('download-csv').disabled = true;
    const started = performance.now();
    const generation = ++state.generation; // answers of an older load (the period changed meanwhile) are dropped
    state.spend = {};
    let failed = 0;
    let refusedKey = false;
    // each panel is drawn as soon as its own answer arrives: a slow report (by tag, on a long period) holds up only itself
    const settle = (name, promise, apply) => promise.then(
      (value) => {
        if (generation === state.generation) {
          panelError(name, null);
          apply(value);
        }
      },
      (error) => {
        if (generation !== state.generation || refusedKey) {
          return;
        }
        if (refused(error)) {
          refusedKey = true;
          return;
        }
        failed++;
        panelError(name, error);
        apply(null);
      });
    const calls = DIMENSIONS.map((dimension) => settle(dimension, spend(dimension, period), (report) => {
      state.spend[dimension] = report;
      renderSpend();
    }));
    calls.push(settle('budgets', api('budgets'), (budgets) => {
      state.budgets = budgets;
      renderBudgets();
    }));
    calls.push(settle('requests', api('requests', Object.assign({ limit: RECENT_REQUESTS }, queryParams(period))), (requests) => {
      state.requests = requests;
      renderRequests();
    }));
    await Promise.all(calls);
    if (generation !== state.generation || refusedKey) {
      return;
    }
    $('download-csv').disabled = false;
    $('status').textContent = (failed ? failed + ' of ' + calls.length + ' queries failed (see below). ' : '')
      + 'Updated ' + new Date().toISOString().slice(11, 19) + ' UTC in ' + Math.round(performance.now() - started) + ' ms.';
  }

  /** Totals, the day chart and every top panel whose report is in (shares need the period's total, from any of them). */
  function renderSpend() {
    renderTotals();
    if ('day' in state.spend) {
      renderDays();
    }
    for (const dimension of DIMENSIONS.slice(1)) {
      if (dimension in state.spend) {
        renderTop(dimension);
      }
    }
  }

  function panelError(name, error) {
    const p = document.querySelector('[data-error-for="' + name + '"]');
    p.hidden = !error;
    p.textContent = error ? 'Could not load: ' + error.message : '';
  }

  // ---------- rendering ----------

  function rowsOf(report) {
    return report && Array.isArray(report.data) ? report.data : [];
  }

  /** The period's totals (every matching row once, whatever the grouping): from the day report, else any other. */
  function periodTotal() {
    for (const dimension of DIMENSIONS) {
      const report = state.spend[dimension];
      if (report && report.total && dimension !== 'tag') {
        return report.total;
      }
    }
    return null;
  }

  function renderTotals() {
    const total = periodTotal();
    const spendOut = $('total-spend');
    if (total) {
      spendOut.textContent = usd(total.cost_usd);
      spendOut.dataset.usd = total.cost_usd;
      spendOut.title = '$' + total.cost_usd + ' exactly';
    } else {
      spendOut.textContent = '–';
      delete spendOut.dataset.usd;
    }
    $('total-requests').textContent = total ? integer.format(total.requests) : '–';
    $('total-prompt-tokens').textContent = total ? integer.format(total.prompt_tokens) : '–';
    $('total-completion-tokens').textContent = total ? integer.format(total.completion_tokens) : '–';
  }

  function renderDays() {
    const byDay = new Map(rowsOf(state.spend.day).map((row) => [String(row.day).slice(0, 10), Number(row.cost_usd)]));
    const labels = [];
    const values = [];
    for (let t = state.period.from.getTime(); t <= state.period.to.getTime(); t += DAY_MS) {
      const day = isoDay(new Date(t));
      labels.push(day);
      values.push(byDay.get(day) || 0);
    }
    chart('day', 'bar', labels, values, {});
  }

  function renderTop(dimension) {
    const report = state.spend[dimension];
    const rows = rowsOf(report).slice().sort((a, b) => Number(b.cost_usd) - Number(a.cost_usd));
    // share of the period's spend (a request with several tags counts under each tag, so tag shares may add up past 100 %)
    const periodSpend = periodTotal();
    const total = Number(periodSpend ? periodSpend.cost_usd : 0);
    const top = rows.slice(0, TOP_ROWS);
    const body = document.querySelector('#top-' + dimension + ' tbody');
    body.replaceChildren();
    for (const row of top) {
      body.append(tr([
        filterCell(dimension, row[dimension]),
        cell(integer.format(row.requests), 'num'),
        cell(usd(row.cost_usd), 'num', row.cost_usd),
        cell(total > 0 ? percent.format(Number(row.cost_usd) / total) : '–', 'num'),
      ]));
    }
    if (report && report.has_more) {
      body.append(tr([cell('Over ' + integer.format(MOST_GROUPS) + ' groups: the top ones may be missing; narrow the period or filter.', 'error', null, 4)]));
    } else if (rows.length > TOP_ROWS) {
      body.append(tr([cell('and ' + (rows.length - TOP_ROWS) + ' more (in the CSV)', 'empty', null, 4)]));
    } else if (rows.length === 0) {
      body.append(tr([cell(report ? 'No spend in this period.' : '–', 'empty', null, 4)]));
    }
    chart(dimension, 'bar', top.map((row) => label(row[dimension])), top.map((row) => Number(row.cost_usd)), { indexAxis: 'y' });
  }

  function renderBudgets() {
    const body = document.querySelector('#budgets tbody');
    body.replaceChildren();
    const rows = rowsOf(state.budgets);
    for (const b of rows) {
      const share = b.used_share === null || b.used_share === undefined ? null : Number(b.used_share);
      const meter = document.createElement('meter');
      meter.min = 0;
      meter.max = 1;
      meter.low = 0.8;
      meter.high = 0.999;
      meter.optimum = 0;
      meter.value = share === null ? 0 : Math.min(share, 1);
      const shareCell = cell('', 'share');
      shareCell.append(meter, ' ' + (share === null ? '–' : percent.format(share)));
      body.append(tr([
        cell(label(b.scope)),
        cell(label(b.name), 'name'),
        cell(label(b.period)),
        cell(usd(b.limit_usd), 'num', b.limit_usd),
        cell(usd(b.used_usd), 'num', b.used_usd),
        shareCell,
        cell(b.reset_at ? String(b.reset_at).replace('T', ' ').replace(/:\d\d(\.\d+)?Z$/, ' UTC') : '–'),
      ]));
    }
    if (rows.length === 0) {
      body.append(tr([cell(state.budgets ? 'No budgets are configured.' : '–', 'empty', null, 7)]));
    }
  }

  function renderRequests() {
    const body = document.querySelector('#requests tbody');
    body.replaceChildren();
    const rows = rowsOf(state.requests);
    for (const r of rows) {
      body.append(tr([
        cell(String(r.started_at || '').replace('T', ' ').replace(/(\.\d+)?Z$/, '')),
        cell(label(r.key), 'name'),
        cell(label(r.team), 'name'),
        cell(label(r.model), 'name'),
        cell(label(r.backend), 'name'),
        cell(Array.isArray(r.tags) && r.tags.length ? r.tags.join(', ') : '', 'name'),
        cell(label(r.status), 'num', null, null, r.error || null),
        cell(integer.format(r.prompt_tokens || 0), 'num'),
        cell(integer.format(r.completion_tokens || 0), 'num'),
        cell(usd(r.cost_usd), 'num', r.cost_usd),
        cell(r.duration_ms === null || r.duration_ms === undefined ? '–' : integer.format(r.duration_ms) + ' ms', 'num'),
      ]));
    }
    if (rows.length === 0) {
      body.append(tr([cell(state.requests ? 'No requests in this period.' : '–', 'empty', null, 11)]));
    }
  }

  /** A group's name; a button that narrows the whole page to it, unless it is absent or already the filter. */
  function filterCell(dimension, group) {
    const td = cell('', 'name');
    if (group === null || group === undefined || group === '' || state.filter) {
      td.textContent = label(group);
      return td;
    }
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'link';
    button.textContent = String(group);
    button.title = 'Show only ' + dimension + ' ' + group;
    button.addEventListener('click', () => {
      state.filter = { dimension, value: String(group) };
      load();
    });
    td.append(button);
    return td;
  }

  function renderFilter() {
    $('filter').hidden = !state.filter;
    $('filter-text').textContent = state.filter ? state.filter.dimension + ' = ' + state.filter.value : '';
  }

  function tr(cells) {
    const row = document.createElement('tr');
    row.append(...cells);
    return row;
  }

  function cell(text, className, exactUsd, span, hint) {
    const td = document.createElement('td');
    td.textContent = text;
    if (className) {
      td.className = className;
    }
    if (exactUsd !== undefined && exactUsd !== null) {
      td.dataset.usd = exactUsd;
      td.title = '$' + exactUsd + ' exactly';
    }
    if (span) {
      td.colSpan = span;
    }
    if (hint) {
      td.title = String(hint);
    }
    return td;
  }

  function chart(name, type, labels, values, options) {
    if (typeof window.Chart !== 'function') {
      return; // the chart library failed to load; the tables still show every figure
    }
    const existing = state.charts[name];
    if (existing) {
      existing.data.labels = labels;
      existing.data.datasets[0].data = values;
      existing.update('none');
      return;
    }
    const valueAxis = options.indexAxis === 'y' ? 'x' : 'y';
    const scales = {
      x: { ticks: { autoSkip: true, maxRotation: 0 } },
      y: { beginAtZero: true },
    };
    scales[valueAxis] = { beginAtZero: true, ticks: { callback: (value) => usd(value) } };
    state.charts[name] = new window.Chart($('chart-' + name), {
      type,
      data: { labels, datasets: [{ label: 'Spend (USD)', data: values, backgroundColor: '#2f6fdf', borderRadius: 3 }] },
      options: Object.assign({
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        plugins: {
          legend: { display: false },
          tooltip: { callbacks: { label: (item) => usd(item.raw) } },
        },
        scales,
      }, options),
    });
  }

  // ---------- CSV ----------

  /** A CSV field: quoted when needed; text that a spreadsheet would run as a formula is prefixed with a quote. */
  function csvField(value, text) {
    let s = value === null || value === undefined ? '' : String(value);
    if (text && /^[=+\-@\t\r]/.test(s)) {
      s = "'" + s;
    }
    return /[",\r\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
  }

  function csvLine(fields) {
    return fields.map(([value, text]) => csvField(value, text)).join(',');
  }

  /** What the page shows, in one long table: a line per group of each dimension, then budgets and recent requests. */
  function csv() {
    const range = rangeParams(state.period);
    const filter = state.filter ? state.filter.dimension + '=' + state.filter.value : '';
    const lines = [csvLine([['section'], ['from'], ['to'], ['filter'], ['dimension'], ['group'], ['requests'], ['prompt_tokens'],
      ['completion_tokens'], ['cost_usd']])];
    for (const dimension of DIMENSIONS) {
      for (const row of rowsOf(state.spend[dimension])) {
        lines.push(csvLine([['spend'], [range.from], [range.to], [filter, true], [dimension], [row[dimension], true], [row.requests],
          [row.prompt_tokens], [row.completion_tokens], [row.cost_usd]]));
      }
    }
    lines.push('');
    lines.push(csvLine([['section'], ['scope'], ['name'], ['period'], ['limit_usd'], ['used_usd'], ['used_share'], ['period_start'], ['reset_at']]));
    for (const b of rowsOf(state.budgets)) {
      lines.push(csvLine([['budget'], [b.scope, true], [b.name, true], [b.period, true], [b.limit_usd], [b.used_usd],
        [b.used_share], [b.period_start], [b.reset_at]]));
    }
    lines.push('');
    lines.push(csvLine([['section'], ['started_at'], ['request_id'], ['key'], ['team'], ['user'], ['tags'], ['model'], ['backend'],
      ['status'], ['error'], ['prompt_tokens'], ['completion_tokens'], ['cost_usd'], ['duration_ms']]));
    for (const r of rowsOf(state.requests)) {
      lines.push(csvLine([['request'], [r.started_at], [r.request_id, true], [r.key, true], [r.team, true], [r.user, true],
        [(r.tags || []).join(' '), true], [r.model, true], [r.backend, true], [r.status], [r.error, true], [r.prompt_tokens],
        [r.completion_tokens], [r.cost_usd], [r.duration_ms]]));
    }
    return lines.join('\r\n') + '\r\n';
  }

  function downloadCsv() {
    const range = rangeParams(state.period);
    const blob = new Blob([csv()], { type: 'text/csv;charset=utf-8' });
    const link = document.createElement('a');
    link.href = URL.createObjectURL(blob);
    link.download = 'tollgate-spend-' + range.from + '-to-' + isoDay(state.period.to) + '.csv';
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 0);
  }

  // ---------- start ----------

  function start() {
    $('login-form').addEventListener('submit', signIn);
    $('sign-out').addEventListener('click', signOut);
    $('period').addEventListener('submit', (event) => {
      event.preventDefault();
      load();
    });
    for (const button of document.querySelectorAll('[data-days]')) {
      button.addEventListener('click', () => {
        setPeriodDays(Number(button.dataset.days));
        load();
      });
    }
    $('download-csv').addEventListener('click', downloadCsv);
    $('clear-filter').addEventListener('click', () => {
      state.filter = null;
      load();
    });
    setPeriodDays(30);
    if (sessionStorage.getItem(KEY_STORAGE)) {
      showDashboard();
      load();
    } else {
      showLogin('');
    }
  }

  start();
})();
