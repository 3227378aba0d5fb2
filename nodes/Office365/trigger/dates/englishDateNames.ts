/**
 * English month and weekday names. Open Connectors ran Java with the English locale, so patterns
 * like `EEE, dd MMM yyyy` always meant these names, whatever the server's own locale.
 */

export const MONTH_NAMES = [
	'January',
	'February',
	'March',
	'April',
	'May',
	'June',
	'July',
	'August',
	'September',
	'October',
	'November',
	'December',
];

/** Indexed like Date#getUTCDay: 0 is Sunday. */
export const WEEKDAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** Java text fields: 4+ letters give the full name, fewer the three-letter abbreviation. */
export function nameForCount(fullName: string, count: number): string {
	return count >= 4 ? fullName : fullName.slice(0, 3);
}

/** Lower-cased full and abbreviated names → 1-based month; Java matches names case-insensitively. */
export const MONTH_BY_NAME: ReadonlyMap<string, number> = buildLookup(MONTH_NAMES, 1);

/** Lower-cased full and abbreviated names → getUTCDay index. */
export const WEEKDAY_BY_NAME: ReadonlyMap<string, number> = buildLookup(WEEKDAY_NAMES, 0);

function buildLookup(names: string[], firstIndex: number): Map<string, number> {
	const lookup = new Map<string, number>();
	names.forEach((name, index) => {
		lookup.set(name.toLowerCase(), index + firstIndex);
		lookup.set(name.slice(0, 3).toLowerCase(), index + firstIndex);
	});
	return lookup;
}
