/**
 * The sign-in both of the hub's pages (GraphiQL and the report pages) load before their own
 * script, as `sign-in.js` from their assets: a demo role picked from the list (its client assertion
 * minted by the demo, which holds the development keys, and exchanged at the token endpoint as the
 * agency's own system would) or an error read from the hub's answer. Plain ES2017, no build step;
 * it defines one global, `XietongSignIn`, and reads the settings each page passes it:
 * `{ devSignInPath, tokenEndpoint, clientAssertionType }`.
 */
export const SIGN_IN_SCRIPT = String.raw`var XietongSignIn = (function () {
  'use strict';

  function readJson(response) {
    return response.text().then(function (text) {
      try { return JSON.parse(text); } catch (e) { return null; }
    });
  }

  // An OAuth error, a GraphQL error (with its code), or the HTTP status when the body says nothing.
  function errorText(body, response) {
    if (body && body.error) return body.error + (body.error_description ? ': ' + body.error_description : '');
    if (body && body.errors && body.errors[0]) {
      var code = body.errors[0].extensions && body.errors[0].extensions.code;
      return body.errors[0].message + (code ? ' (' + code + ')' : '');
    }
    return 'HTTP ' + response.status;
  }

  /** Resolves to { token, expiresAt } for the demo caller, or rejects with the hub's error. */
  function signInAs(settings, callerId) {
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
        return { token: body.access_token, expiresAt: Date.now() + (body.expires_in || 0) * 1000 };
      });
    });
  }

  /** The demo's roles ({ id, label, purpose }), or null where the demo serves no sign-in. */
  function listCallers(settings) {
    if (!settings.devSignInPath) return Promise.resolve(null);
    return fetch(settings.devSignInPath + '/callers').then(function (response) {
      return readJson(response).then(function (body) { return response.ok && body ? body.callers : null; });
    });
  }

  return { readJson: readJson, errorText: errorText, signInAs: signInAs, listCallers: listCallers };
})();
`;
