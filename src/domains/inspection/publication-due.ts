/**
 * The last day a result may be published (公示): `workingDays` working days after the inspection
 * (Monday to Friday; public holidays and make-up working days are not modelled, so a due date
 * around a holiday is earlier than the law's, never later). Dates are calendar dates, YYYY-MM-DD.
 */
export function publicationDue(inspectedOn: string, workingDays: number): string {
  const day = new Date(`${inspectedOn}T00:00:00Z`);
  let left = workingDays;
  while (left > 0) {
    day.setUTCDate(day.getUTCDate() + 1);
    const weekday = day.getUTCDay();
    if (weekday !== 0 && weekday !== 6) left -= 1;
  }
  return day.toISOString().slice(0, 10);
}
