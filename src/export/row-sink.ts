import { once } from 'node:events';
import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { ExportColumn } from './export-shape';

/** The file formats an export is written in. */
export const EXPORT_FORMATS = ['CSV', 'XLSX'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const CONTENT_TYPES: Record<ExportFormat, string> = {
  CSV: 'text/csv; charset=utf-8',
  XLSX: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

export type Cell = string | number | boolean | null;

/** Where an export's rows go, a page at a time: each call resolves once the sink can take more (backpressure). */
export interface RowSink {
  header(columns: readonly ExportColumn[]): Promise<void>;
  rows(rows: readonly Cell[][]): Promise<void>;
  end(): Promise<void>;
}

/** Resolves when `out` can take more; rejects when it closed first (a client that left): the export stops reading. */
function drained(out: Writable): Promise<void> {
  if (out.destroyed) return Promise.reject(new Error('the export’s destination closed'));
  return new Promise((resolve, reject) => {
    const settle = (error?: Error) => {
      out.off('drain', onDrain);
      out.off('close', onClose);
      if (error) reject(error);
      else resolve();
    };
    const onDrain = () => settle();
    const onClose = () => settle(new Error('the export’s destination closed'));
    out.on('drain', onDrain);
    out.on('close', onClose);
  });
}

/** Writes `text`, waiting for the stream to drain when its buffer is full: memory stays one page. */
async function writeDrained(out: Writable, text: string): Promise<void> {
  if (out.destroyed) throw new Error('the export’s destination closed');
  if (!out.write(text)) await drained(out);
}

// A spreadsheet runs a cell that starts like a formula (CSV injection, OWASP), also after leading
// whitespace and with the full-width signs a Chinese input method types: such text is prefixed
// with an apostrophe. A plain number held as text (-5, +3.2) is no formula, and stays as it is.
const FORMULA_START = /^(?:[\t\r]|\s*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20])/;
const PLAIN_NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;

/** Whether a spreadsheet would read `text` as a formula. */
export function startsLikeFormula(text: string): boolean {
  return FORMULA_START.test(text) && !PLAIN_NUMBER.test(text);
}

function csvField(value: Cell): string {
  if (value === null) return '';
  if (typeof value !== 'string') return String(value);
  const text = startsLikeFormula(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * CSV (RFC 4180, CRLF line ends) in UTF-8 with a byte-order mark: without it Excel reads the file
 * in the system's code page and the Chinese names come out garbled.
 */
export function csvSink(out: Writable): RowSink {
  return {
    header: (columns) => writeDrained(out, `\uFEFF${columns.map((c) => csvField(c.header)).join(',')}\r\n`),
    rows: async (rows) => {
      if (rows.length) await writeDrained(out, rows.map((r) => `${r.map(csvField).join(',')}\r\n`).join(''));
    },
    end: async () => {
      out.end();
      await once(out, 'finish');
    },
  };
}

/**
 * XLSX through exceljs's streaming writer: each row is committed (serialised to the zip stream)
 * as it is added, and strings are written inline rather than into a shared-string table, which
 * would hold every distinct text of the export in memory until the end.
 */
export function xlsxSink(out: Writable): RowSink {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false, useStyles: false });
  const sheet = workbook.addWorksheet('export');
  return {
    header: async (columns) => {
      sheet.addRow(columns.map((c) => c.header)).commit();
    },
    rows: async (rows) => {
      for (const row of rows) sheet.addRow(row.map((v) => (v === null ? null : v))).commit();
      // exceljs pipes into `out` without waiting: a full buffer is waited out here, a page at a time.
      if (out.destroyed) throw new Error('the export’s destination closed');
      if (out.writableNeedDrain) await drained(out);
    },
    end: async () => {
      sheet.commit();
      await workbook.commit();
      if (!out.writableFinished) await once(out, 'finish');
    },
  };
}

export function sinkFor(format: ExportFormat, out: Writable): RowSink {
  return format === 'CSV' ? csvSink(out) : xlsxSink(out);
}
