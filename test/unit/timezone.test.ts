import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import fc from 'fast-check';

import { Office365ConfigError } from '../../nodes/Office365/trigger/errors';
import { resolveTimezone } from '../../nodes/Office365/trigger/dates/timezone';
import { zoneOffsets } from '../../nodes/Office365/trigger/dates/zoneOffsets';

const PARAMETER = 'updatedDateTimezone';
const WINTER = Date.UTC(2026, 0, 15, 12);
const SUMMER = Date.UTC(2026, 6, 15, 12);

/** Setting → expected UTC offsets in minutes on 15 January and 15 July 2026. */
const offsets: Array<[value: string | undefined, winter: number, summer: number]> = [
	[undefined, 0, 0],
	['', 0, 0],
	['  ', 0, 0],
	['GMT', 0, 0],
	['UTC', 0, 0],
	['utc', 0, 0],
	['Z', 0, 0],
	['Etc/UTC', 0, 0],
	// IANA names.
	['Europe/Berlin', 60, 120],
	['America/Denver', -420, -360],
	['Australia/Sydney', 660, 600],
	['Asia/Kolkata', 330, 330],
	// Offsets, with and without GMT/UTC, colon optional, one-digit hours allowed (Java custom ids).
	['+02:00', 120, 120],
	['-8:00', -480, -480],
	['+0530', 330, 330],
	['+530', 330, 330],
	['-08', -480, -480],
	['GMT+2', 120, 120],
	['GMT-08:00', -480, -480],
	['UTC+1', 60, 60],
	['GMT+23:59', 1439, 1439],
	// Java's fixed three-letter ids: no daylight saving.
	['EST', -300, -300],
	['MST', -420, -420],
	['HST', -600, -600],
	// Java's region three-letter ids (ZoneId.SHORT_IDS).
	['PST', -480, -420],
	['CST', -360, -300],
	['IST', 330, 330],
	['BST', 360, 360],
	['JST', 540, 540],
	['ECT', 60, 120],
	['AET', 660, 600],
	['AST', -540, -480],
	['PNT', -420, -420],
	// Not Java ids, but unambiguous US daylight names.
	['PDT', -480, -420],
	['EDT', -300, -240],
];

describe('resolveTimezone', () => {
	for (const [value, winter, summer] of offsets) {
		it(`${JSON.stringify(value)} → ${winter}/${summer} minutes`, () => {
			const { zone } = resolveTimezone(value, PARAMETER);
			assert.equal(zone.offset(WINTER), winter);
			assert.equal(zone.offset(SUMMER), summer);
		});
	}

	it('maps fixed offsets to Luxon fixed zones and names to IANA zones', () => {
		assert.equal(resolveTimezone('GMT', PARAMETER).zone.isUniversal, true);
		assert.equal(resolveTimezone('-8:00', PARAMETER).zone.isUniversal, true);
		assert.equal(resolveTimezone('PST', PARAMETER).zone.name, 'America/Los_Angeles');
		assert.equal(resolveTimezone('Europe/Berlin', PARAMETER).zone.name, 'Europe/Berlin');
	});

	// The id whose display names the pattern letter z writes: Java's own id for what the setting means.
	const javaIds: Array<[value: string | undefined, javaId: string]> = [
		[undefined, 'GMT'],
		['', 'GMT'],
		['GMT', 'GMT'],
		['ut', 'GMT'],
		['Z', 'GMT'],
		['UTC', 'UTC'],
		['utc', 'UTC'],
		['-8:00', 'GMT-08:00'],
		['+0530', 'GMT+05:30'],
		['GMT+2', 'GMT+02:00'],
		['+00:00', 'GMT+00:00'],
		['est', 'EST'],
		['PST', 'PST'],
		['EDT', 'America/New_York'],
		['Europe/Berlin', 'Europe/Berlin'],
	];
	for (const [value, javaId] of javaIds) {
		it(`${JSON.stringify(value)} has the Java id ${javaId}`, () => {
			assert.equal(resolveTimezone(value, PARAMETER).javaId, javaId);
		});
	}

	const invalid = ['Mars/Olympus', '{TimeZone}', '+24:00', 'GMT+25', '-8:0', '+02:60', 'PSTX', 'Central European Time'];
	for (const value of invalid) {
		it(`rejects ${JSON.stringify(value)} naming the parameter, the value and what works`, () => {
			assert.throws(
				() => resolveTimezone(value, PARAMETER),
				(error: unknown) =>
					error instanceof Office365ConfigError &&
					error.parameter === PARAMETER &&
					error.value === value &&
					error.message.startsWith(`Invalid ${PARAMETER} "${value}": `) &&
					error.hint.includes('"Europe/Berlin"') &&
					error.hint.includes('"+02:00"'),
			);
		});
	}

	it('says when a value is an unfilled template placeholder', () => {
		assert.throws(() => resolveTimezone('{TimeZone}', PARAMETER), /unfilled template placeholder/);
	});
});

describe('zoneOffsets (memoized offsets used per record)', () => {
	const zones = ['America/New_York', 'Europe/Berlin', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'America/St_Johns', '-8:00'];
	for (const name of zones) {
		it(`${name}: equals Luxon's own offset at any instant, transitions included`, () => {
			const { zone } = resolveTimezone(name, PARAMETER);
			const offsets = zoneOffsets(zone);
			fc.assert(
				fc.property(fc.integer({ min: Date.UTC(1970, 0, 1), max: Date.UTC(2100, 0, 1) }), (epochMs) => offsets.at(epochMs) === zone.offset(epochMs)),
				{ numRuns: 300 },
			);
			// Every minute around the 2026 spring and autumn changes of the northern and southern hemispheres.
			for (const start of [Date.UTC(2026, 2, 8), Date.UTC(2026, 2, 29), Date.UTC(2026, 3, 5), Date.UTC(2026, 9, 4), Date.UTC(2026, 9, 25), Date.UTC(2026, 10, 1)]) {
				for (let epochMs = start; epochMs < start + 86_400_000; epochMs += 60_000) {
					assert.equal(offsets.at(epochMs), zone.offset(epochMs));
				}
			}
		});
	}
});
