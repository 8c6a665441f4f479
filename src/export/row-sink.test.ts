import { PassThrough } from 'node:stream';
import { csvSink } from './row-sink';

/** The CSV the sink writes for one row of `cells`, without the byte-order mark and header. */
async function csvOf(cells: string[]): Promise<string> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (chunk: Buffer) => chunks.push(chunk));
  const sink = csvSink(out);
  await sink.header([{ header: 'h', path: ['h'] }]);
  await sink.rows([cells]);
  await sink.end();
  return Buffer.concat(chunks).toString('utf8').split('\r\n')[1];
}

describe('CSV formula guard', () => {
  it.each([
    ['=1+1', "'=1+1"],
    ['+cmd', "'+cmd"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tx', "'\tx"],
    [' =HYPERLINK("x")', `"' =HYPERLINK(""x"")"`],
    ['\t=1', "'\t=1"],
    ['\u3000=1', "'\u3000=1"],
    ['＝1+1', "'＝1+1"],
    ['＋1', "'＋1"],
    ['－1', "'－1"],
    ['＠A1', "'＠A1"],
  ])('prefixes %j, which a spreadsheet would run', async (cell, written) => {
    expect(await csvOf([cell])).toBe(written);
  });

  it.each(['-5', '-3.2', '+7', '42', '苏E12345', 'a=b', 'x-1'])('leaves %j as it is', async (cell) => {
    expect(await csvOf([cell])).toBe(cell);
  });
});
