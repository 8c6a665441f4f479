import type { ReportDefinition, ReportGrouping } from './report-catalogue';
import { escapeHtml, escapeJsonForHtml } from '../html-escape';

/**
 * A report page: a bar above that signs in with the hub's shared sign-in script (a demo role from
 * the picker, or a pasted access token: the page holds no data of its own), then the report's
 * persisted operation sent to `/graphql` with that token and its answer drawn as an ECharts chart
 * and a table. Whatever the caller's agreement refuses, the page shows as the API's error.
 */
export interface ReportPageSettings {
  report: Pick<ReportDefinition, 'name' | 'title' | 'description' | 'purpose' | 'byDay'>;
  period: { unit: 'month' | 'day'; value: string };
  query: string;
  operationName: string;
  variables: Record<string, unknown>;
  grouping: ReportGrouping;
  graphqlPath: string;
  tokenEndpoint: string;
  clientAssertionType: string;
  devSignInPath: string | null;
}

export function reportHtml(settings: ReportPageSettings, assetsPath: string, others: readonly ReportDefinition[]): string {
  const month = settings.period.value.slice(0, 7);
  const links = others.map((r) => `<a href="/reports/${r.name}?month=${month}">${escapeHtml(r.title)}</a>`).join(' · ');
  const day = settings.report.byDay
    ? `<form id="xt-day-form"><label>Day <input id="xt-day" name="day" type="date" value="${settings.period.unit === 'day' ? settings.period.value : ''}"></label></form>`
    : '';
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(settings.report.title)} — ${settings.period.value} — Xietong 协同</title>
<link rel="stylesheet" href="${assetsPath}/page.css">
<script type="application/json" id="xt-settings">${escapeJsonForHtml(settings)}</script>
</head>
<body>
<header id="xt-bar">
  <strong>Xietong 协同 reports</strong>
  <label id="xt-caller-label">Role <select id="xt-caller"><option value="">— pick a demo role —</option></select></label>
  <label>Access token <input id="xt-token" type="password" autocomplete="off" placeholder="paste a bearer token"></label>
  <form id="xt-month-form"><label>Month <input id="xt-month" name="month" type="month" value="${month}"></label></form>
  ${day}
  <span id="xt-status" role="status">not signed in</span>
</header>
<main>
  <h1>${escapeHtml(settings.report.title)} <small>${settings.period.value}</small></h1>
  <p>${escapeHtml(settings.report.description)} Purpose declared: <code>${escapeHtml(settings.report.purpose)}</code>.</p>
  <nav>${links}</nav>
  <div id="xt-chart" data-state="empty"></div>
  <table id="xt-table"></table>
  <p id="xt-notes"></p>
</main>
<script src="${assetsPath}/echarts.js"></script>
<script src="${assetsPath}/sign-in.js"></script>
<script src="${assetsPath}/page.js"></script>
</body>
</html>
`;
}

export const REPORT_PAGE_CSS = `
body { margin: 0; font-family: system-ui, sans-serif; color: #111; }
#xt-bar { display: flex; flex-wrap: wrap; gap: 0.5rem 1rem; align-items: center; padding: 0.4rem 0.8rem; background: #12355b; color: #fff; font-size: 14px; }
#xt-bar form { margin: 0; }
#xt-status { margin-left: auto; }
#xt-status.error { color: #ffb4a8; }
main { padding: 0 1.2rem 2rem; }
h1 { font-size: 1.3rem; }
h1 small { color: #666; font-weight: normal; }
#xt-chart { width: 100%; height: 420px; }
table { border-collapse: collapse; font-size: 13px; margin-top: 1rem; }
td, th { border: 1px solid #ccc; padding: 3px 8px; text-align: right; }
td.suppressed { color: #8a5a00; background: #fff4d6; font-style: italic; }
#xt-notes { font-size: 13px; color: #444; }
th:first-child, td:first-child { text-align: left; }
`;

/**
 * The page's script (ES2017, no build step): the report's one request, its cells, the chart and
 * the table. Sign-in is `SIGN_IN_SCRIPT`'s.
 */
export const REPORT_PAGE_SCRIPT = String.raw`(function () {
  'use strict';
  var settings = JSON.parse(document.getElementById('xt-settings').textContent);
  var $ = function (id) { return document.getElementById(id); };
  var session = { token: null };
  var chart = echarts.init($('xt-chart'));
  var g = settings.grouping;
  var SEP = '\u0000';

  function status(text, isError) {
    $('xt-status').textContent = text;
    $('xt-status').className = isError ? 'error' : '';
  }

  function request(variables) {
    return fetch(settings.graphqlPath, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json', authorization: 'Bearer ' + session.token },
      body: JSON.stringify({ query: settings.query, operationName: settings.operationName, variables: variables, extensions: { purpose: settings.report.purpose } }),
    }).then(function (response) {
      return XietongSignIn.readJson(response).then(function (body) {
        if (!body || body.errors || !body.data) throw new Error(XietongSignIn.errorText(body, response));
        return body.data;
      });
    });
  }

  // An aggregate's cells as the hub returned them: a suppressed cell stays suppressed (null), never 0.
  function aggregateCells() {
    return request(settings.variables).then(function (data) {
      var result = data[g.field];
      var cells = { xs: {}, series: {}, values: {}, incomplete: {}, suppressed: result.suppressedCells, k: result.k, source: result.source, truncated: result.truncated, records: 0 };
      result.cells.forEach(function (cell) {
        var x = cell.keys[g.xKey] ? cell.keys[g.xKey].value : 'all';
        var s = cell.keys[1 - g.xKey] ? cell.keys[1 - g.xKey].value : g.measureLabel;
        var value = null;
        if (!cell.suppressed) {
          cell.values.forEach(function (v) { if (v.measure === g.measure) value = v.value; });
          cells.records += cell.count;
        }
        cells.xs[x] = true;
        cells.series[s] = true;
        cells.values[x + SEP + s] = value;
        if (!cell.complete) cells.incomplete[x + SEP + s] = true;
      });
      return cells;
    });
  }

  function render(cells) {
    var xs = Object.keys(cells.xs).sort();
    var series = Object.keys(cells.series).sort();
    // No cell: nothing was counted there (0). A suppressed cell: a gap, drawn as nothing at all.
    var at = function (x, s) { var key = x + SEP + s; return key in cells.values ? cells.values[key] : 0; };
    chart.setOption({
      tooltip: { trigger: 'axis' },
      legend: { type: 'scroll', top: 0 },
      grid: { top: 48, left: 56, right: 24, bottom: 72 },
      xAxis: { type: 'category', name: g.xLabel, data: xs, axisLabel: { rotate: 30 } },
      yAxis: { type: 'value', name: g.measureLabel || 'count' },
      series: series.map(function (s) {
        var line = g.chart === 'line';
        return { name: s, type: line ? 'line' : 'bar', stack: line ? undefined : 'all', connectNulls: false, data: xs.map(function (x) { return at(x, s); }) };
      }),
    }, true);
    var table = $('xt-table');
    table.textContent = '';
    var head = table.insertRow();
    [g.xLabel + ' \\ ' + g.seriesLabel].concat(series, ['total']).forEach(function (h) {
      var th = document.createElement('th'); th.textContent = h; head.appendChild(th);
    });
    xs.forEach(function (x) {
      var tr = table.insertRow();
      var total = 0;
      var hidden = false;
      tr.insertCell().textContent = x;
      series.forEach(function (s) {
        var n = at(x, s);
        var td = tr.insertCell();
        if (n === null) {
          hidden = true;
          td.className = 'suppressed';
          td.textContent = 'suppressed';
          td.title = 'fewer than ' + cells.k + ' records: not published';
          return;
        }
        total += n;
        td.textContent = String(Math.round(n * 1000) / 1000) + (cells.incomplete[x + SEP + s] ? '*' : '');
      });
      tr.insertCell().textContent = String(Math.round(total * 1000) / 1000) + (hidden ? ' + suppressed' : '');
    });
    var notes = [];
    notes.push('Cells of fewer than ' + cells.k + ' records are suppressed; * marks a cell some of whose records were left out for the same reason.');
    notes.push('Answered from ' + (cells.source === 'ROLLUP' ? 'the rollup tables' : 'the base tables') + ' (' + cells.source + ').');
    if (cells.truncated) notes.push('More cells matched than the page shows.');
    $('xt-notes').textContent = notes.join(' ');
    $('xt-chart').setAttribute('data-state', xs.length ? 'drawn' : 'no-rows');
  }

  function load() {
    status('loading…');
    return aggregateCells().then(function (cells) {
      render(cells);
      status(cells.records + ' records' + (cells.suppressed ? ' · ' + cells.suppressed + ' cells suppressed' : '') + ' · ' + settings.period.value);
    }).catch(function (e) {
      $('xt-chart').setAttribute('data-state', 'error');
      status(e.message, true);
    });
  }

  $('xt-caller').addEventListener('change', function (event) {
    var id = event.target.value;
    if (!id) return;
    status('signing in…');
    XietongSignIn.signInAs(settings, id).then(function (signedIn) {
      session.token = signedIn.token;
      return load();
    }).catch(function (e) { status(e.message, true); });
  });
  $('xt-token').addEventListener('change', function (event) {
    session.token = event.target.value.trim() || null;
    if (session.token) load();
  });
  $('xt-month').addEventListener('change', function () { $('xt-month-form').submit(); });
  if ($('xt-day')) $('xt-day').addEventListener('change', function () { $('xt-day-form').submit(); });
  window.addEventListener('resize', function () { chart.resize(); });

  XietongSignIn.listCallers(settings).then(function (callers) {
    if (!callers) { $('xt-caller-label').hidden = true; return; }
    callers.forEach(function (c) { $('xt-caller').add(new Option(c.label, c.id)); });
  });
})();
`;
