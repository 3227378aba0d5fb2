/**
 * Values of a pasted Open Connectors configuration, each read with the key it sits under, so every mistake is an
 * Office365ConfigError naming the resource and key; the date keys in either spelling.
 */
import { Office365ConfigError } from './errors';

export const POLLER_CONFIGURATION = 'Poller Configuration';

export type Json = Record<string, unknown>;
/** `updatedDateTimezone` / `updatedAtTimezone` and their `TimeZone` spelling, also met at resource level. */
export const DATE_KEY = /^(updated|created)(Date|At)(Field|Format|Timezone|TimeZone)$/;

export const isObject = (value: unknown): value is Json => !!value && typeof value === 'object' && !Array.isArray(value);
export const label = (key: string) => (key ? `${POLLER_CONFIGURATION} → ${key}` : POLLER_CONFIGURATION);
const show = (value: unknown) => (typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value)));

export function fail(key: string, value: unknown, hint: string): never {
	throw new Office365ConfigError(label(key), show(value), hint);
}

export function text(owner: Json, key: string, path: string): string | undefined {
	const value = owner[key];
	if (value === undefined || value === null) return undefined;
	if (typeof value !== 'string') fail(path, value, 'expected text');
	return value.trim() || undefined;
}

export function wholeNumber(owner: Json, key: string, path: string): number | undefined {
	const value = owner[key];
	if (value === undefined || value === null || value === '') return undefined;
	const number = typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
	if (typeof number !== 'number' || !Number.isInteger(number) || number < 0) fail(path, value, 'expected a whole number');
	return number;
}

export function flag(owner: Json, key: string, path: string): void {
	const value = owner[key];
	if (value === undefined || typeof value === 'boolean' || value === 'true' || value === 'false') return;
	fail(path, value, 'expected true or false');
}

export interface DatesSpelled {
	/** kind + part (`updatedField`) → value */
	values: Record<string, string | undefined>;
	/** kind + part → the key as written (`datesConfiguration.updatedDateField`) */
	keys: Record<string, string>;
}

/** The date keys of a resource in either spelling; one value per key. */
export function readDates(name: string, resource: Json): DatesSpelled {
	const spelled: DatesSpelled = { values: {}, keys: {} };
	const take = (owner: Json, prefix: string) => {
		for (const key of Object.keys(owner)) {
			const match = DATE_KEY.exec(key);
			if (!match) continue;
			const slot = `${match[1]}${match[3] === 'TimeZone' ? 'Timezone' : match[3]}`;
			const path = `${name}.${prefix}${key}`;
			const value = text(owner, key, path);
			const earlier = spelled.keys[slot];
			// datesConfiguration wins over a resource-level timezone; two spellings must agree.
			if (earlier && prefix === '') continue;
			if (earlier && spelled.values[slot] !== value) fail(path, value ?? '', `${earlier} says ${JSON.stringify(spelled.values[slot])}; give the date setting once`);
			spelled.values[slot] = value;
			spelled.keys[slot] = path;
		}
	};
	const dates = resource.datesConfiguration;
	if (dates !== undefined) {
		if (!isObject(dates)) fail(`${name}.datesConfiguration`, dates, 'expected an object with updatedDateField, updatedDateFormat, …');
		for (const key of Object.keys(dates)) {
			if (!DATE_KEY.test(key) && key !== 'createdCheckTolerance') {
				fail(`${name}.datesConfiguration.${key}`, dates[key], 'unknown key; use updatedDateField, updatedDateFormat, updatedDateTimezone, createdDateField, createdDateFormat, createdDateTimezone (or the updatedAt… spelling)');
			}
		}
		take(dates, 'datesConfiguration.');
	}
	take(resource, '');
	return spelled;
}
