/** Reads `a.b.c` out of a record (the Open Connectors idField / date field convention). */
export function readFieldPath(record: unknown, path: string): unknown {
	// Plain property names (id, lastModifiedDateTime) are read per record: no split.
	if (path.indexOf('.') < 0) return record !== null && typeof record === 'object' ? (record as Record<string, unknown>)[path] : undefined;
	let current: unknown = record;
	for (const segment of path.split('.')) {
		if (current === null || typeof current !== 'object') return undefined;
		current = (current as Record<string, unknown>)[segment];
	}
	return current;
}

/** OData spells nested properties with slashes: `from.emailAddress.address` -> `from/emailAddress/address`. */
export function toODataPath(path: string): string {
	return path.split('.').join('/');
}

const FIELD_PATH = /^[A-Za-z_@][\w@-]*(\.[A-Za-z_@][\w@-]*)*$/;

export function isValidFieldPath(path: string): boolean {
	return FIELD_PATH.test(path);
}
