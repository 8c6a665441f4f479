import type { ReportDefinition, ReportGrouping } from './report-catalogue';
import { escapeHtml, escapeJsonForHtml } from '../html-escape';

/**
 * A report page: a bar above that signs in as GraphiQL's does (a demo role from the picker, or a
 * pasted access token: the page holds no data of its own), then the report's persisted operation
 * sent to `/graphql` with that token, page after page, counted into an ECharts chart and a table.
 * Whatever the caller's agreement refuses, the page shows as the API's error.
 */
export interface ReportPageSettings {
  report: Pick<ReportDefinition, 'name' | 'title' | 'description' | 'purpose'>;
  month: string;
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
  const links = others.map((r) => `<a href="/reports/${r.name}?month=${settings.month}">${escapeHtml(r.title)}</a>`).join(' · ');
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(settings.report.title)} — ${settings.month} — Xietong 协同</title>
<link rel="stylesheet" href="${assetsPath}/page.css">
<script type="application/json" id="xt-settings">${escapeJsonForHtml(settings)}</script>
</head>
<body>
<header id="xt-bar">
  <strong>Xietong 协同 reports</strong>
  <label id="xt-caller-label">Role <select id="xt-caller"><option value="">— pick a demo role —</option></select></label>
  <label>Access token <input id="xt-token" type="password" autocomplete="off" placeholder="paste a bearer token"></label>
  <form id="xt-month-form"><label>Month <input id="xt-month" name="month" type="month" value="${settings.month}"></label></form>
  <span id="xt-status" role="status">not signed in</span>
</header>
<main>
  <h1>${escapeHtml(settings.report.title)} <small>${settings.month}</small></h1>
  <p>${escapeHtml(settings.report.description)} Purpose declared: <code>${escapeHtml(settings.report.purpose)}</code>.</p>
  <nav>${links}</nav>
  <div id="xt-chart" data-state="empty"></div>
  <table id="xt-table"></table>
</main>
<script src="${assetsPath}/echarts.js"></script>
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
th:first-child, td:first-child { text-align: left; }
`;

/** The page's script (ES2017, no build step): sign-in as GraphiQL's page does, the report's pages, the chart and the table. */
export const REPORT_PAGE_SCRIPT = String.raw`(function () {
  'use strict';
  var settings = JSON.parse(document.getElementById('xt-settings').textContent);
  var $ = function (id) { return document.getElementById(id); };
  var session = { token: null, expiresAt: 0, callerId: null };
  var chart = echarts.init($('xt-chart'));
  var MAX_PAGES = 200;

  function status(text, isError) {
    $('xt-status').textContent = text;
    $('xt-status').className = isError ? 'error' : '';
  }
  function readJson(response) {
    return response.text().then(function (text) { try { return JSON.parse(text); } catch (e) { return null; } });
  }
  function errorText(body, response) {
    if (body && body.error) return body.error + (body.error_description ? ': ' + body.error_description : '');
    if (body && body.errors && body.errors[0]) return body.errors[0].message + (body.errors[0].extensions ? ' (' + body.errors[0].extensions.code + ')' : '');
    return 'HTTP ' + response.status;
  }

  // As GraphiQL's page: a client assertion minted by the demo, exchanged at the token endpoint.
  function signInAs(callerId) {
    return fetch(settings.devSignInPath + '/assertion', {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ caller: callerId }),
    }).then(function (response) {
      return readJson(response).then(function (body) {
        if (!response.ok) throw new Error(errorText(body, response));
        var form = new URLSearchParams();
        form.set('grant_type', 'client_credentials');
        form.set('client_assertion_type', settings.clientAssertionType);
        form.set('client_assertion', body.clientAssertion);
        if (body.scope) form.set('scope', body.scope);
        return fetch(settings.tokenEndpoint, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form });
      });
    }).then(function (response) {
      return readJson(response).then(function (body) {
        if (!response.ok) throw new Error(errorText(body, response));
        session.token = body.access_token;
        session.expiresAt = Date.now() + (body.expires_in || 0) * 1000;
      });
    });
  }

  function page(after) {
    var variables = Object.assign({}, settings.variables, { after: after });
    return fetch(settings.graphqlPath, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json', authorization: 'Bearer ' + session.token },
      body: JSON.stringify({ query: settings.query, operationName: settings.operationName, variables: variables, extensions: { purpose: settings.report.purpose } }),
    }).then(function (response) {
      return readJson(response).then(function (body) {
        if (!body || body.errors || !body.data) throw new Error(errorText(body, response));
        var connection = body.data;
        settings.grouping.connection.forEach(function (key) { connection = connection && connection[key]; });
        return connection;
      });
    });
  }

  function allRows() {
    var rows = [];
    function next(after, count) {
      return page(after).then(function (connection) {
        connection.edges.forEach(function (edge) { rows.push(edge.node); });
        if (connection.pageInfo.hasNextPage && count < MAX_PAGES) return next(connection.pageInfo.endCursor, count + 1);
        return rows;
      });
    }
    return next(null, 1);
  }

  // Cells counted per category and series; sorted so the chart and the table read alike every time.
  function cellsOf(rows) {
    var g = settings.grouping;
    var counts = {};
    var xs = {};
    var series = {};
    rows.forEach(function (row) {
      var x = String(row[g.x]);
      var s = g.series ? String(row[g.series]) : 'count';
      xs[x] = true;
      series[s] = true;
      counts[x + '\u0000' + s] = (counts[x + '\u0000' + s] || 0) + 1;
    });
    return { xs: Object.keys(xs).sort(), series: Object.keys(series).sort(), counts: counts };
  }

  function render(cells) {
    var g = settings.grouping;
    chart.setOption({
      tooltip: { trigger: 'axis' },
      legend: { type: 'scroll', top: 0 },
      grid: { top: 48, left: 48, right: 24, bottom: 72 },
      xAxis: { type: 'category', name: g.xLabel, data: cells.xs, axisLabel: { rotate: 30 } },
      yAxis: { type: 'value', name: 'count' },
      series: cells.series.map(function (s) {
        return { name: s, type: 'bar', stack: 'all', data: cells.xs.map(function (x) { return cells.counts[x + '\u0000' + s] || 0; }) };
      }),
    }, true);
    var table = $('xt-table');
    table.textContent = '';
    var head = table.insertRow();
    [g.xLabel + ' \\ ' + g.seriesLabel].concat(cells.series, ['total']).forEach(function (h) {
      var th = document.createElement('th'); th.textContent = h; head.appendChild(th);
    });
    cells.xs.forEach(function (x) {
      var tr = table.insertRow();
      var total = 0;
      tr.insertCell().textContent = x;
      cells.series.forEach(function (s) {
        var n = cells.counts[x + '\u0000' + s] || 0;
        total += n;
        tr.insertCell().textContent = String(n);
      });
      tr.insertCell().textContent = String(total);
    });
    $('xt-chart').setAttribute('data-state', cells.xs.length ? 'drawn' : 'no-rows');
  }

  function load() {
    status('loading…');
    return allRows().then(function (rows) {
      render(cellsOf(rows));
      status(rows.length + ' records · ' + settings.month);
    }).catch(function (e) {
      $('xt-chart').setAttribute('data-state', 'error');
      status(e.message, true);
    });
  }

  $('xt-caller').addEventListener('change', function (event) {
    var id = event.target.value;
    if (!id) return;
    session.callerId = id;
    status('signing in…');
    signInAs(id).then(load).catch(function (e) { status(e.message, true); });
  });
  $('xt-token').addEventListener('change', function (event) {
    session.token = event.target.value.trim() || null;
    session.callerId = null;
    if (session.token) load();
  });
  $('xt-month').addEventListener('change', function () { $('xt-month-form').submit(); });
  window.addEventListener('resize', function () { chart.resize(); });

  if (!settings.devSignInPath) { $('xt-caller-label').hidden = true; return; }
  fetch(settings.devSignInPath + '/callers').then(function (response) {
    return readJson(response).then(function (body) {
      if (!response.ok || !body) { $('xt-caller-label').hidden = true; return; }
      body.callers.forEach(function (c) { $('xt-caller').add(new Option(c.label, c.id)); });
    });
  });
})();
`;
