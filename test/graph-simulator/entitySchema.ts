// Property names and types per entity, derived from a sample record so the schema never drifts from the factories.
// Graph resolves property names case-insensitively (`ReceivedDateTime` works), so resolution does too.

import { ODataError } from './odataErrors';

export type PropType = 'datetime' | 'string' | 'boolean' | 'number' | 'complex' | 'collection' | 'unknown';

export interface ResolvedPath {
	/** Canonical segments, e.g. ['from', 'emailAddress', 'address']. */
	segments: string[];
	/** Canonical path joined with '/'. */
	name: string;
	type: PropType;
}

export interface EntitySchema {
	/** e.g. 'microsoft.graph.message' */
	typeName: string;
	/** Canonical top-level names. */
	properties: string[];
	/** Resolve a `/`-separated path; throws ODataError(message) when unknown or not navigable. */
	resolve(path: string, context: 'filter' | 'orderby' | 'select'): ResolvedPath;
}

const DATETIME_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

function typeOf(value: unknown): PropType {
	if (Array.isArray(value)) return 'collection';
	if (value === null || value === undefined) return 'unknown';
	if (typeof value === 'string') return DATETIME_OFFSET.test(value) ? 'datetime' : 'string';
	if (typeof value === 'boolean') return 'boolean';
	if (typeof value === 'number') return 'number';
	return 'complex';
}

function findKey(obj: Record<string, unknown>, name: string): string | undefined {
	if (Object.prototype.hasOwnProperty.call(obj, name)) return name;
	const lower = name.toLowerCase();
	return Object.keys(obj).find((k) => k.toLowerCase() === lower);
}

export function schemaFromSample(typeName: string, sample: Record<string, unknown>): EntitySchema {
	const cache = new Map<string, ResolvedPath>();
	return {
		typeName,
		properties: Object.keys(sample),
		resolve(path, context) {
			const cached = cache.get(`${context}:${path}`);
			if (cached !== undefined) return cached;
			const raw = path.split('/');
			if (context === 'select' && raw.length > 1) {
				throw new ODataError('BadRequest', `Parsing Select and Expand failed: nested path '${path}' is not supported in $select.`);
			}
			let current: unknown = sample;
			let currentType = typeName;
			const segments: string[] = [];
			for (const segment of raw) {
				if (Array.isArray(current)) {
					throw new ODataError(
						'BadRequest',
						`The parent value for a property access of a property '${segment}' is not a single value. Property access can only be applied to a single value.`,
					);
				}
				const key = typeof current === 'object' && current !== null ? findKey(current as Record<string, unknown>, segment) : undefined;
				if (key === undefined) {
					throw new ODataError('BadRequest', `Could not find a property named '${segment}' on type '${currentType}'.`);
				}
				segments.push(key);
				current = (current as Record<string, unknown>)[key];
				currentType = `microsoft.graph.${key}`;
			}
			const resolved: ResolvedPath = { segments, name: segments.join('/'), type: typeOf(current) };
			cache.set(`${context}:${path}`, resolved);
			return resolved;
		},
	};
}

/** Reads a resolved path from a record (undefined when an intermediate value is missing). */
export function pathGetter(segments: readonly string[]): (record: Record<string, unknown>) => unknown {
	if (segments.length === 1) {
		const [key] = segments;
		return (record) => record[key];
	}
	return (record) => {
		let value: unknown = record;
		for (const key of segments) {
			if (value === null || typeof value !== 'object') return undefined;
			value = (value as Record<string, unknown>)[key];
		}
		return value;
	};
}
