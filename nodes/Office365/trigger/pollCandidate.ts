/**
 * One record of a timestamp poll as a candidate event: its id and dates read the way the configuration says
 * (a record that cannot be read is a RecordError naming it), and what earlier polls did with its key.
 */
import { RecordError } from './errors';
import { readFieldPath } from './fieldPath';
import { fingerprint } from './pollState';
import type { DateField } from './resourceScope';
import type { PollConfig } from './triggerConfig';

export interface Candidate {
	record: Record<string, unknown>;
	objectId: string;
	key: string;
	trackedMs: number;
	createdMs?: number;
	updatedMs?: number;
}

/** What earlier polls processed: emitted (`seen`) or deliberately not emitted (`skipped`). */
export interface Memory {
	seen: Readonly<Record<string, number>>;
	skipped: Readonly<Record<string, number>>;
}

/** The record's id as ID Field says (an Open Connectors-style dot path), as text. */
export function readObjectId(config: Pick<PollConfig, 'idField' | 'objectType'>, record: Record<string, unknown>, index: number): string {
	const value = readFieldPath(record, config.idField);
	if (typeof value === 'string' && value !== '') return value;
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	throw new RecordError(
		`Record #${index + 1} of ${config.objectType} has no usable ID Field "${config.idField}" (found ${JSON.stringify(value) ?? 'nothing'}); set ID Field to the property that identifies a record`,
		undefined,
		index,
	);
}

/** A date of the record in ms; a value that does not fit its format (or a missing required one) is a RecordError. */
export function readDate(field: DateField, record: Record<string, unknown>, objectId: string, index: number, required: boolean): number | undefined {
	const value = readFieldPath(record, field.field);
	let parsed: number | undefined;
	try {
		parsed = field.codec.parse(value);
	} catch (error) {
		return reportBadDate(field, objectId, index, (error as Error).message);
	}
	if (parsed === undefined && required) {
		return reportBadDate(field, objectId, index, `the field is ${value === undefined ? 'missing' : 'empty'}`);
	}
	return parsed;
}

function reportBadDate(field: DateField, objectId: string, index: number, reason: string): never {
	throw new RecordError(`Record "${objectId}" (#${index + 1}) has an unusable date in "${field.field}": ${reason}`, objectId, index);
}

export function toCandidate(config: PollConfig, raw: unknown, index: number): Candidate {
	if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
		throw new RecordError(`Record #${index + 1} of ${config.objectType} is not a JSON object`, undefined, index);
	}
	const record = raw as Record<string, unknown>;
	const objectId = readObjectId(config, record, index);
	const trackedMs = readDate(config.tracked, record, objectId, index, true)!;
	const updatedMs =
		config.updated === config.tracked ? trackedMs : config.updated && readDate(config.updated, record, objectId, index, false);
	const createdMs =
		config.created === config.tracked ? trackedMs : config.created && readDate(config.created, record, objectId, index, false);
	return { record, objectId, key: fingerprint(objectId), trackedMs, updatedMs, createdMs };
}

export const priorStamp = (memory: Memory, key: string): number | undefined => memory.seen[key] ?? memory.skipped[key];
