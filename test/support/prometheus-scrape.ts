/** A scrape of a hub's `/metrics`: its status, content type and text. */
export interface Scrape {
  status: number;
  contentType: string | null;
  text: string;
}

export async function scrape(hubUrl: string, token?: string): Promise<Scrape> {
  const response = await fetch(`${hubUrl}/metrics`, { headers: token === undefined ? {} : { authorization: `Bearer ${token}` } });
  return { status: response.status, contentType: response.headers.get('content-type'), text: await response.text() };
}

/**
 * The value of the sample `name{labels}` in an exposition text, or undefined when it is absent.
 * Labels must match exactly (every label of the sample named, in any order).
 */
export function sampleOf(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const found = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]));
    const keys = Object.keys(labels);
    if (Object.keys(found).length === keys.length && keys.every((k) => found[k] === labels[k])) return Number(match[3]);
  }
  return undefined;
}
