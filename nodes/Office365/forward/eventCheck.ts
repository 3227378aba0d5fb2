/** Is an input item a standardized event? Event Forward checks every item before sending anything. */
import { EVENT_TYPES, type EventType, type StandardEvent } from '../shared/standardEvent';
import { preview, quoted } from '../shared/text';

type EventCheck =
	| { ok: true; event: StandardEvent }
	| { ok: false; missing: string[]; invalid: string[]; message: string };

const REQUIRED_EVENT_FIELDS = [
	'eventType',
	'objectType',
	'objectId',
	'elementKey',
	'date',
	'raw',
] as const;

const ISO_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

function isPlainObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isPresent(value: unknown): boolean {
	return value !== undefined && value !== null && value !== '';
}

/**
 * Checks that an item is a standardized event and returns it normalized (a numeric objectId
 * becomes a string). Otherwise reports every missing and every invalid field at once. One function:
 * the checks add to one list of problems, reported together.
 */
export function checkStandardEvent(json: unknown): EventCheck {
	if (!isPlainObject(json)) {
		return {
			ok: false,
			missing: [...REQUIRED_EVENT_FIELDS],
			invalid: [],
			message: `not a standardized event: the item is ${quoted(json, 30)}, expected an object with ${REQUIRED_EVENT_FIELDS.join(', ')}`,
		};
	}
	const missing = REQUIRED_EVENT_FIELDS.filter((field) => !isPresent(json[field]));
	const invalid: string[] = [];
	const problems: string[] = [];

	const { eventType, objectType, objectId, elementKey, date, raw } = json;
	if (isPresent(eventType) && !(EVENT_TYPES as readonly unknown[]).includes(eventType)) {
		invalid.push('eventType');
		problems.push(`eventType ${quoted(eventType, 30)} is not one of ${EVENT_TYPES.join(', ')}`);
	}
	if (isPresent(objectType)) {
		if (typeof objectType !== 'string' || objectType.trim() === '') {
			invalid.push('objectType');
			problems.push(`objectType must be a non-empty string, got ${quoted(objectType, 30)}`);
		} else if (objectType === 'objectType') {
			invalid.push('objectType');
			problems.push('objectType may not be "objectType" (it would collide with raw.objectType)');
		}
	}
	if (
		isPresent(objectId) &&
		!(typeof objectId === 'string' || (typeof objectId === 'number' && Number.isFinite(objectId)))
	) {
		invalid.push('objectId');
		problems.push(`objectId must be a string or number, got ${quoted(objectId, 30)}`);
	}
	if (isPresent(elementKey) && (typeof elementKey !== 'string' || elementKey.trim() === '')) {
		invalid.push('elementKey');
		problems.push(`elementKey must be a non-empty string, got ${quoted(elementKey, 30)}`);
	}
	if (
		isPresent(date) &&
		(typeof date !== 'string' || !ISO_DATE.test(date) || Number.isNaN(Date.parse(date)))
	) {
		invalid.push('date');
		problems.push(`date must be an ISO 8601 timestamp such as 2024-05-01T10:00:00Z, got ${quoted(date, 40)}`);
	}
	if (isPresent(raw) && !isPlainObject(raw)) {
		invalid.push('raw');
		problems.push(`raw must be an object (the vendor record), got ${preview(raw, 30)}`);
	}

	if (missing.length > 0 || invalid.length > 0) {
		const parts: string[] = [];
		if (missing.length > 0) parts.push(`missing ${missing.join(', ')}`);
		parts.push(...problems);
		return {
			ok: false,
			missing,
			invalid,
			message: `not a standardized event: ${parts.join('; ')}`,
		};
	}
	return {
		ok: true,
		event: {
			eventType: eventType as EventType,
			objectType: objectType as string,
			objectId: String(objectId as string | number),
			elementKey: elementKey as string,
			date: date as string,
			raw: raw as Record<string, unknown>,
		},
	};
}
