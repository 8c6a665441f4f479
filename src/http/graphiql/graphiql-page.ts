import { escapeJsonForHtml } from '../html-escape';
/**
 * The browser page: GraphiQL with a bar above it that signs in (a demo role picked from a list,
 * or an access token pasted), shows what the caller's agreement grants, and sets the request's
 * purpose and case number so nobody has to hand-edit `extensions` JSON.
 *
 * The script is plain ES2017 served as a file of the hub's own (`script-src 'self'`: the page runs
 * no inline script), and reads its settings from a JSON block the server writes into the page.
 */

export interface GraphiqlPageSettings {
  graphqlPath: string;
  tokenEndpoint: string;
  /** `client_assertion_type` of the token request (RFC 7523), as auth declares it. */
  clientAssertionType: string;
  /** Where the demo's roles are listed and their client assertions minted; null outside the demo. */
  devSignInPath: string | null;
}

export function graphiqlHtml(settings: GraphiqlPageSettings, assetsPath: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Xietong 协同 — GraphiQL</title>
<link rel="stylesheet" href="${assetsPath}/graphiql.css">
<link rel="stylesheet" href="${assetsPath}/page.css">
<script type="application/json" id="xt-settings">${escapeJsonForHtml(settings)}</script>
</head>
<body>
<header id="xt-bar">
  <strong>Xietong 协同</strong>
  <label id="xt-caller-label">Role <select id="xt-caller"><option value="">— pick a demo role —</option></select></label>
  <label id="xt-token-label">Access token <input id="xt-token" type="password" autocomplete="off" placeholder="paste a bearer token"></label>
  <label>Purpose <select id="xt-purpose"><option value="">(none)</option></select></label>
  <label>Case number <input id="xt-case" type="text" placeholder="苏E交执〔2022〕00001号" size="22"></label>
  <label title="Police case officers only: the case covers every plate of its captures"><input id="xt-case-scope" type="checkbox"> all plates</label>
  <span id="xt-status" role="status">not signed in</span>
  <details id="xt-grants"><summary>What this role may see</summary><div id="xt-grants-body"></div></details>
</header>
<main id="xt-graphiql"></main>
<script src="${assetsPath}/react.js"></script>
<script src="${assetsPath}/react-dom.js"></script>
<script src="${assetsPath}/graphiql.js"></script>
<script src="${assetsPath}/sign-in.js"></script>
<script src="${assetsPath}/page.js"></script>
</body>
</html>
`;
}

export const GRAPHIQL_PAGE_CSS = `
html, body { height: 100%; margin: 0; font-family: system-ui, sans-serif; }
body { display: flex; flex-direction: column; }
#xt-bar { display: flex; flex-wrap: wrap; gap: 0.5rem 1rem; align-items: center; padding: 0.4rem 0.8rem; background: #12355b; color: #fff; font-size: 14px; }
#xt-bar input, #xt-bar select { font-size: 13px; }
#xt-status { margin-left: auto; }
#xt-status.error { color: #ffb4a8; }
#xt-grants { position: relative; }
#xt-grants[open] #xt-grants-body { position: absolute; right: 0; z-index: 10; max-height: 60vh; overflow: auto; background: #fff; color: #111; padding: 0.6rem; border: 1px solid #999; min-width: 24rem; }
#xt-grants-body table { border-collapse: collapse; font-size: 12px; }
#xt-grants-body td, #xt-grants-body th { border-bottom: 1px solid #ddd; padding: 2px 6px; text-align: left; }
#xt-graphiql { flex: 1; min-height: 0; }
`;

/** The page's script (ES2017, no build step): the grants panel and GraphiQL's fetcher; sign-in is `SIGN_IN_SCRIPT`'s. */
export const GRAPHIQL_PAGE_SCRIPT = String.raw`(function () {
  'use strict';
  var settings = JSON.parse(document.getElementById('xt-settings').textContent);
  var $ = function (id) { return document.getElementById(id); };
  var session = { token: null, expiresAt: 0, callerId: null };
  var root = ReactDOM.createRoot($('xt-graphiql'));
  var generation = 0;

  function status(text, isError) {
    $('xt-status').textContent = text;
    $('xt-status').className = isError ? 'error' : '';
  }

  var readJson = XietongSignIn.readJson;

  function signInAs(callerId) {
    return XietongSignIn.signInAs(settings, callerId).then(function (signedIn) {
      session.token = signedIn.token;
      session.expiresAt = signedIn.expiresAt;
    });
  }

  function freshToken() {
    if (session.callerId && Date.now() > session.expiresAt - 30000) return signInAs(session.callerId).then(function () { return session.token; });
    return Promise.resolve(session.token);
  }

  function extensions() {
    var ext = {};
    if ($('xt-purpose').value) ext.purpose = $('xt-purpose').value;
    if ($('xt-case').value.trim()) ext.caseNumber = $('xt-case').value.trim();
    if ($('xt-case-scope').checked) ext.caseScope = 'ALL_PLATES';
    return ext;
  }

  function post(params, extraHeaders) {
    return freshToken().then(function (token) {
      var headers = { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' };
      Object.keys(extraHeaders || {}).forEach(function (k) { headers[k] = extraHeaders[k]; });
      if (token) headers.authorization = 'Bearer ' + token;
      var body = { query: params.query, variables: params.variables || undefined, operationName: params.operationName || undefined, extensions: extensions() };
      return fetch(settings.graphqlPath, { method: 'POST', headers: headers, body: JSON.stringify(body) });
    }).then(function (response) {
      return readJson(response).then(function (body) { return body || { errors: [{ message: 'HTTP ' + response.status }] }; });
    });
  }

  function fetcher(params, options) {
    var headers = {};
    if (options && options.headers) headers = options.headers;
    return post(params, headers);
  }

  function cell(tr, text, tag) {
    var td = document.createElement(tag || 'td');
    td.textContent = text;
    tr.appendChild(td);
  }

  function showAccess(access) {
    var purposes = $('xt-purpose');
    var wanted = purposes.value || (session.defaultPurpose || '');
    while (purposes.options.length > 1) purposes.remove(1);
    access.purposes.forEach(function (p) { purposes.add(new Option(p, p, false, p === wanted)); });
    status(access.agency + ' · ' + access.roles.join(', ') + (access.judgedUnder ? ' · agreement ' + access.judgedUnder : ''));
    var table = document.createElement('table');
    var head = document.createElement('tr');
    ['type', 'field', 'mode'].forEach(function (h) { cell(head, h, 'th'); });
    table.appendChild(head);
    access.types.forEach(function (t) {
      t.fields.forEach(function (f) {
        var tr = document.createElement('tr');
        cell(tr, t.type);
        cell(tr, f.field);
        cell(tr, f.mode === 'MASKED' ? 'masked (' + f.mask + ')' : 'full');
        table.appendChild(tr);
      });
    });
    var body = $('xt-grants-body');
    body.textContent = '';
    body.appendChild(table);
  }

  var MY_ACCESS = '{ myAccess { agency roles purposes judgedUnder types { type fields { field mode mask } } } }';

  // GraphiQL keeps its tabs, queries and variables (plates, ID numbers) in localStorage unless given
  // a store: on a shared workstation they would outlive the session. This one lives as long as the page.
  var kept = {};
  var pageStorage = {
    getItem: function (k) { return Object.prototype.hasOwnProperty.call(kept, k) ? kept[k] : null; },
    setItem: function (k, v) { kept[k] = String(v); },
    removeItem: function (k) { delete kept[k]; },
    clear: function () { kept = {}; },
    get length() { return Object.keys(kept).length; },
  };

  function refresh() {
    generation += 1;
    var mine = generation;
    return post({ query: MY_ACCESS }).then(function (result) {
      if (mine !== generation) return;
      if (result.data && result.data.myAccess) showAccess(result.data.myAccess);
      else status(result.errors && result.errors[0] ? result.errors[0].message : 'not signed in', true);
      // A new fetcher makes GraphiQL read the schema again, as the new caller may see it.
      var current = function (params, options) { return fetcher(params, options); };
      root.render(React.createElement(GraphiQL, {
        key: 'g' + mine, fetcher: current, storage: pageStorage, defaultEditorToolsVisibility: true,
        defaultQuery: '# Signed in above; purpose and case number travel in the request\'s extensions.\n' + MY_ACCESS + '\n',
      }));
    }).catch(function (e) { status(e.message, true); });
  }

  function listCallers() {
    return XietongSignIn.listCallers(settings).then(function (callers) {
      if (!callers) { $('xt-caller-label').hidden = true; return; }
      callers.forEach(function (c) { $('xt-caller').add(new Option(c.label, c.id)); });
      session.purposes = {};
      callers.forEach(function (c) { session.purposes[c.id] = c.purpose; });
    });
  }

  $('xt-caller').addEventListener('change', function (event) {
    var id = event.target.value;
    $('xt-token').value = '';
    if (!id) return;
    status('signing in…');
    session.callerId = id;
    session.defaultPurpose = session.purposes[id];
    $('xt-purpose').value = '';
    signInAs(id).then(refresh).catch(function (e) { session.token = null; status(e.message, true); });
  });

  $('xt-token').addEventListener('change', function (event) {
    session.callerId = null;
    session.token = event.target.value.trim() || null;
    session.expiresAt = Infinity;
    $('xt-caller').value = '';
    refresh();
  });

  listCallers().then(refresh);
})();
`;
