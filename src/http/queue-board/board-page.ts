import { escapeHtml } from '../html-escape';

/** A stylesheet or script the page would fetch from another host (the UI links a web font): dropped, so the page loads only the hub's files. */
const EXTERNAL_ELEMENT = /<(?:link|script)\b[^>]*\b(?:href|src)="(?:https?:)?\/\/[^"]*"[^>]*>(?:<\/script>)?/gi;

/**
 * Bull Board's entry page from the UI package's template: `<%= name %>` escaped, `<%- name %>`
 * as given (the board's own JSON, with `<` and `>` escaped already). Only those two forms are
 * filled in, without a template engine: the template is that of the exact UI version installed,
 * and one that uses anything else is refused rather than served half rendered.
 */
export function renderBoardPage(template: string, params: Record<string, string>): string {
  const value = (name: string) => {
    if (!Object.hasOwn(params, name)) throw new Error(`the board's page template asks for "${name}", which the board does not give`);
    return params[name] ?? '';
  };
  const html = template
    .replace(/<%=\s*(\w+)\s*%>/g, (_, name: string) => escapeHtml(value(name)))
    .replace(/<%-\s*(\w+)\s*%>/g, (_, name: string) => value(name))
    .replace(EXTERNAL_ELEMENT, '');
  if (html.includes('<%')) throw new Error("the board's page template uses more than the hub fills in (<%= name %> and <%- name %>)");
  return html;
}

/** The sign-in page: one field for an access token, POSTed to `action`; no script. */
export function signInPage(action: string, problem: string | null): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="robots" content="noindex">
<link rel="icon" href="data:,">
<title>Xietong queue dashboard: sign in</title>
<style>
body { font-family: system-ui, sans-serif; max-width: 40rem; margin: 4rem auto; padding: 0 1rem; color: #1f2933; }
textarea { width: 100%; height: 8rem; font-family: ui-monospace, monospace; font-size: 0.8rem; }
button { margin-top: 0.75rem; padding: 0.4rem 1.2rem; }
.problem { color: #b42318; }
code { background: #f1f3f5; padding: 0 0.2rem; }
</style>
</head>
<body>
<h1>Queue dashboard</h1>
<p>For the bureau's hub administrators: sign in with an access token whose agreement grants <code>triggerSync</code>, e.g.
<code>npm run -s token -- --agency suzhou-transport --role administrator</code>. The dashboard keeps it in a cookie
of its own until the token expires or is revoked.</p>
${problem ? `<p class="problem" role="alert">${escapeHtml(problem)}</p>` : ''}
<form method="post" action="${escapeHtml(action)}">
<label for="token">Access token</label>
<textarea id="token" name="token" required autocomplete="off" spellcheck="false"></textarea>
<button type="submit">Sign in</button>
</form>
</body>
</html>
`;
}
