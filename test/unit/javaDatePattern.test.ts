import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import fc from 'fast-check';
import { FixedOffsetZone, IANAZone } from 'luxon';

import { DateValueError, Office365ConfigError } from '../../nodes/Office365/trigger/errors';
import { compileDateFormat } from '../../nodes/Office365/trigger/dates/javaDatePattern';
import { tokenizeJavaDatePattern } from '../../nodes/Office365/trigger/dates/javaPatternTokens';
import { compilePatternParser } from '../../nodes/Office365/trigger/dates/patternParser';
import { zoneOffsets } from '../../nodes/Office365/trigger/dates/zoneOffsets';

const PARAMETER = 'updatedDateFormat';
/** Saturday 2026-11-28 10:00:00.123 UTC, day 332 of the year. */
const SATURDAY = Date.UTC(2026, 10, 28, 10, 0, 0, 123);
const SATURDAY_SECOND = Date.UTC(2026, 10, 28, 10, 0, 0);

type ParseCase = [format: string, zone: string | undefined, input: unknown, expectedEpochMs: number | undefined];

const parseCases: ParseCase[] = [
	// Graph messages / the Open Connectors Outlook config: quoted 'Z' = zone comes from the setting.
	["yyyy-MM-dd'T'HH:mm:ss'Z'", 'GMT', '2026-11-28T10:00:00Z', SATURDAY_SECOND],
	["yyyy-MM-dd'T'HH:mm:ss'Z'", 'America/Denver', '2026-11-28T10:00:00Z', Date.UTC(2026, 10, 28, 17, 0, 0)],
	// Graph events: 7 fraction digits, truncated to ms, also when the pattern has no S.
	["yyyy-MM-dd'T'HH:mm:ss'Z'", 'GMT', '2017-10-07T04:59:13.8136423Z', Date.UTC(2017, 9, 7, 4, 59, 13, 813)],
	["yyyy-MM-dd'T'HH:mm:ss.SSS'Z'", 'GMT', '2017-10-07T04:59:13.8136423Z', Date.UTC(2017, 9, 7, 4, 59, 13, 813)],
	["yyyy-MM-dd'T'HH:mm:ss.SSS'Z'", 'GMT', '2017-10-07T04:59:13.5Z', Date.UTC(2017, 9, 7, 4, 59, 13, 500)],
	["yyyy-MM-dd'T'HH:mm:ss.SSS'Z'", 'GMT', '2017-10-07T04:59:13.045Z', Date.UTC(2017, 9, 7, 4, 59, 13, 45)],
	// X: Z or an offset; an offset in the text wins over the zone setting.
	["yyyy-MM-dd'T'HH:mm:ssXXX", undefined, '2026-11-28T10:00:00Z', SATURDAY_SECOND],
	["yyyy-MM-dd'T'HH:mm:ssXXX", undefined, '2026-11-28T10:00:00+02:00', Date.UTC(2026, 10, 28, 8, 0, 0)],
	["yyyy-MM-dd'T'HH:mm:ssXXX", 'Europe/Berlin', '2026-11-28T10:00:00-08:00', Date.UTC(2026, 10, 28, 18, 0, 0)],
	["yyyy-MM-dd'T'HH:mm:ssX", 'GMT', '2026-11-28T10:00:00+05', Date.UTC(2026, 10, 28, 5, 0, 0)],
	["yyyy-MM-dd'T'HH:mm:ssX", 'GMT', '2026-11-28T10:00:00Z', SATURDAY_SECOND],
	["yyyy-MM-dd'T'HH:mm:ss.SSSZ", 'GMT', '2026-11-28T10:00:00.250+0530', Date.UTC(2026, 10, 28, 4, 30, 0, 250)],
	['yyyy-MM-dd HH:mm Z', 'GMT', '2026-11-28 10:00 GMT+2:00', Date.UTC(2026, 10, 28, 8, 0, 0)],
	// RFC 1123 style (Twilio); names match short or long, any case.
	['EEE, dd MMM yyyy HH:mm:ss Z', 'GMT', 'Sat, 28 Nov 2026 10:00:00 +0000', SATURDAY_SECOND],
	['EEE, dd MMM yyyy HH:mm:ss Z', 'GMT', 'Saturday, 28 November 2026 10:00:00 -0800', Date.UTC(2026, 10, 28, 18, 0, 0)],
	['EEE, dd MMM yyyy HH:mm:ss Z', 'GMT', 'sat, 28 nov 2026 10:00:00 +0000', SATURDAY_SECOND],
	// Number fields ignore the letter count unless another number follows directly.
	['dd/MM/yyyy HH:mm:ss', 'Europe/Berlin', '28/11/2026 10:00:00', Date.UTC(2026, 10, 28, 9, 0, 0)],
	['dd/MM/yyyy HH:mm:ss', 'Europe/Berlin', '5/3/2026 9:05:07', Date.UTC(2026, 2, 5, 8, 5, 7)],
	['yyyyMMddHHmmss', 'GMT', '20261128100000', SATURDAY_SECOND],
	["MM/dd/yyy'T'HH:mm:ssXXX", undefined, '11/28/2026T10:00:00Z', SATURDAY_SECOND],
	// Java skips blanks before a field and ignores text after the pattern.
	['dd MMM yyyy', 'GMT', '28  Nov 2026', Date.UTC(2026, 10, 28)],
	['yyyy-MM-dd', 'GMT', '2026-11-28', Date.UTC(2026, 10, 28)],
	['yyyy-MM-dd', 'GMT', '2026-11-28T10:00:00Z', Date.UTC(2026, 10, 28)],
	// Two-digit years: 80 years back, 20 ahead.
	['yy-MM-dd', 'GMT', '26-11-28', Date.UTC(2026, 10, 28)],
	['yy-MM-dd', 'GMT', '99-01-01', Date.UTC(1999, 0, 1)],
	['yy-MM-dd', 'GMT', '2026-11-28', Date.UTC(2026, 10, 28)],
	// 12-hour clock.
	['hh:mm a, dd MMM yyyy', 'GMT', '12:30 AM, 01 Jan 2026', Date.UTC(2026, 0, 1, 0, 30)],
	['hh:mm a, dd MMM yyyy', 'GMT', '12:30 PM, 01 Jan 2026', Date.UTC(2026, 0, 1, 12, 30)],
	['hh:mm a, dd MMM yyyy', 'GMT', '01:15 pm, 01 Jan 2026', Date.UTC(2026, 0, 1, 13, 15)],
	// Day of year, quoted text with escaped quotes.
	['yyyy-DDD', 'GMT', '2026-332', Date.UTC(2026, 10, 28)],
	["'Updated ''on'' 'yyyy-MM-dd", 'GMT', "Updated 'on' 2026-11-28", Date.UTC(2026, 10, 28)],
	["''yyyy''", 'GMT', "'2026'", Date.UTC(2026, 0, 1)],
	// DST: summer offset; repeated hour takes standard time (Java); skipped hour moves forward.
	['yyyy-MM-dd HH:mm:ss', 'America/New_York', '2026-07-01 12:00:00', Date.UTC(2026, 6, 1, 16, 0, 0)],
	['yyyy-MM-dd HH:mm:ss', 'America/New_York', '2026-11-01 01:30:00', Date.UTC(2026, 10, 1, 6, 30, 0)],
	['yyyy-MM-dd HH:mm:ss', 'America/New_York', '2026-03-08 02:30:00', Date.UTC(2026, 2, 8, 7, 30, 0)],
	['yyyy-MM-dd HH:mm:ss', 'Europe/Berlin', '2026-10-25 02:30:00', Date.UTC(2026, 9, 25, 1, 30, 0)],
	["yyyy-MM-dd'T'HH:mm:ss.SSS", 'PST', '2026-07-01T12:00:00.000', Date.UTC(2026, 6, 1, 19, 0, 0)],
	['yyyy-MM-dd HH:mm:ss', 'EST', '2026-07-01 12:00:00', Date.UTC(2026, 6, 1, 17, 0, 0)],
	['yyyy-MM-dd HH:mm:ss', '+05:30', '2026-11-28 10:00:00', Date.UTC(2026, 10, 28, 4, 30, 0)],
	// Epoch numbers.
	['milliseconds', undefined, 1795860000123, SATURDAY],
	['milliseconds', 'GMT', '1795860000123', SATURDAY],
	['milliseconds', undefined, ' 1795860000123 ', SATURDAY],
	['seconds', undefined, 1795860000, SATURDAY_SECOND],
	['seconds', undefined, '1795860000.5', SATURDAY_SECOND + 500],
	// ISO 8601, any precision; the zone applies when there is no offset.
	['ISO', undefined, '2017-10-07T04:59:13.8136423Z', Date.UTC(2017, 9, 7, 4, 59, 13, 813)],
	['ISO', undefined, '2026-11-28T10:00:00+02:00', Date.UTC(2026, 10, 28, 8, 0, 0)],
	['ISO', undefined, '2026-11-28T10:00:00.123-0800', Date.UTC(2026, 10, 28, 18, 0, 0, 123)],
	['ISO', 'Europe/Berlin', '2017-04-21T10:00:00.0000000', Date.UTC(2017, 3, 21, 8, 0, 0)],
	['ISO', undefined, '2026-11-28', Date.UTC(2026, 10, 28)],
	['ISO', undefined, '2026-11-28T10:00', Date.UTC(2026, 10, 28, 10, 0)],
	['', undefined, '2026-11-28T10:00:00Z', SATURDAY_SECOND],
	['iso', undefined, '2026-11-28 10:00:00z', SATURDAY_SECOND],
	// Missing values are not dates, not errors.
	["yyyy-MM-dd'T'HH:mm:ss'Z'", 'GMT', null, undefined],
	["yyyy-MM-dd'T'HH:mm:ss'Z'", 'GMT', undefined, undefined],
	["yyyy-MM-dd'T'HH:mm:ss'Z'", 'GMT', '', undefined],
	['milliseconds', undefined, '  ', undefined],
	['ISO', undefined, null, undefined],
];

type FormatCase = [format: string, zone: string | undefined, epochMs: number, expected: string];

const formatCases: FormatCase[] = [
	["yyyy-MM-dd'T'HH:mm:ss'Z'", 'GMT', SATURDAY, '2026-11-28T10:00:00Z'],
	["yyyy-MM-dd'T'HH:mm:ss.SSS'Z'", 'GMT', SATURDAY, '2026-11-28T10:00:00.123Z'],
	["yyyy-MM-dd'T'HH:mm:ssXXX", 'GMT', SATURDAY, '2026-11-28T10:00:00Z'],
	["yyyy-MM-dd'T'HH:mm:ssXXX", 'Europe/Berlin', SATURDAY, '2026-11-28T11:00:00+01:00'],
	["yyyy-MM-dd'T'HH:mm:ssXXX", 'Europe/Berlin', Date.UTC(2026, 6, 1, 10), '2026-07-01T12:00:00+02:00'],
	["yyyy-MM-dd'T'HH:mm:ssXXX", 'America/St_Johns', SATURDAY, '2026-11-28T06:30:00-03:30'],
	["yyyy-MM-dd'T'HH:mm:ssX", '+05:30', SATURDAY, '2026-11-28T15:30:00+05'],
	["yyyy-MM-dd'T'HH:mm:ssXX", '+05:30', SATURDAY, '2026-11-28T15:30:00+0530'],
	["yyyy-MM-dd'T'HH:mm:ssZ", 'GMT', SATURDAY, '2026-11-28T10:00:00+0000'],
	["yyyy-MM-dd'T'HH:mm:ssZ", 'PST', SATURDAY, '2026-11-28T02:00:00-0800'],
	['EEE, dd MMM yyyy HH:mm:ss Z', 'GMT', SATURDAY, 'Sat, 28 Nov 2026 10:00:00 +0000'],
	['EEEE, MMMM d, yyyy', 'GMT', SATURDAY, 'Saturday, November 28, 2026'],
	['dd/MM/yyyy HH:mm:ss', 'Europe/Berlin', Date.UTC(2026, 2, 5, 8, 5, 7), '05/03/2026 09:05:07'],
	['d/M/yy H:m:s', 'GMT', Date.UTC(2026, 2, 5, 8, 5, 7), '5/3/26 8:5:7'],
	["yyyy-MM-dd'T'HH:mm:ss.SSSSSSXXX", 'GMT', SATURDAY, '2026-11-28T10:00:00.123000Z'],
	["HH:mm:ss.S", 'GMT', SATURDAY, '10:00:00.1'],
	['hh:mm a', 'GMT', Date.UTC(2026, 0, 1, 0, 30), '12:30 AM'],
	['hh:mm a', 'GMT', Date.UTC(2026, 0, 1, 13, 5), '01:05 PM'],
	['y yyy yyyy yyyyy', 'GMT', SATURDAY, '2026 2026 2026 02026'],
	['D u G', 'GMT', SATURDAY, '332 6 AD'],
	["'Updated ''on'' 'yyyy-MM-dd", 'GMT', SATURDAY, "Updated 'on' 2026-11-28"],
	['yyyy-MM-dd HH:mm:ss', 'America/New_York', Date.UTC(2026, 10, 1, 5, 30), '2026-11-01 01:30:00'],
	['yyyy-MM-dd HH:mm:ss', 'America/New_York', Date.UTC(2026, 10, 1, 6, 30), '2026-11-01 01:30:00'],
	['milliseconds', undefined, SATURDAY, '1795860000123'],
	['seconds', undefined, SATURDAY, '1795860000'],
	['ISO', undefined, SATURDAY, '2026-11-28T10:00:00.123Z'],
	['ISO', 'Europe/Berlin', SATURDAY, '2026-11-28T11:00:00.123+01:00'],
	["yyyy-MM-dd'T'HH:mm:ss'Z'", 'GMT', Date.UTC(1969, 11, 31, 23, 59, 59), '1969-12-31T23:59:59Z'],
];

describe('compileDateFormat: parse', () => {
	for (const [format, zone, input, expected] of parseCases) {
		it(`${JSON.stringify(format)} in ${zone ?? 'default zone'} reads ${JSON.stringify(input)}`, () => {
			assert.equal(compileDateFormat(format, zone, PARAMETER).parse(input), expected);
		});
	}
});

describe('compileDateFormat: format', () => {
	for (const [format, zone, epochMs, expected] of formatCases) {
		it(`${JSON.stringify(format)} in ${zone ?? 'default zone'} writes ${expected}`, () => {
			assert.equal(compileDateFormat(format, zone, PARAMETER).format(epochMs), expected);
		});
	}
});

describe('compileDateFormat: round trips', () => {
	// From 1950: earlier local mean times have offsets with seconds, which Z/XXX (like Java's) cannot carry.
	const instant = fc.integer({ min: Date.UTC(1950, 0, 1), max: Date.UTC(2199, 11, 31) });
	const exact: Array<[string, string | undefined]> = [
		["yyyy-MM-dd'T'HH:mm:ss.SSS'Z'", 'GMT'],
		["yyyy-MM-dd'T'HH:mm:ss.SSSXXX", 'America/New_York'],
		["yyyy-MM-dd'T'HH:mm:ss.SSSZ", 'Asia/Kolkata'],
		['EEE, dd MMM yyyy HH:mm:ss.SSS Z', 'Europe/Berlin'],
		['dd/MM/yyyy hh:mm:ss.SSS a', '-03:30'],
		['ISO', 'GMT'],
		['ISO', 'Australia/Sydney'],
		['milliseconds', undefined],
	];
	for (const [format, zone] of exact) {
		it(`${format} in ${zone ?? 'default zone'} keeps every millisecond`, () => {
			const codec = compileDateFormat(format, zone, PARAMETER);
			fc.assert(fc.property(instant, (epochMs) => codec.parse(codec.format(epochMs)) === epochMs));
		});
	}

	it("yyyy-MM-dd'T'HH:mm:ss'Z' keeps whole seconds and reads what Date#toISOString writes", () => {
		const codec = compileDateFormat("yyyy-MM-dd'T'HH:mm:ss'Z'", 'GMT', PARAMETER);
		fc.assert(
			fc.property(instant, (epochMs) => {
				const wholeSecond = Math.floor(epochMs / 1000) * 1000;
				return codec.parse(codec.format(epochMs)) === wholeSecond && codec.parse(new Date(epochMs).toISOString()) === epochMs;
			}),
		);
	});

	it('the ISO fast path agrees with the general pattern parser, also on text it hands over', () => {
		const patterns = ["yyyy-MM-dd'T'HH:mm:ss'Z'", "yyyy-MM-dd'T'HH:mm:ss.SSSXXX", 'yyyy-MM-dd HH:mm:ss', "yyyy-MM-dd'T'HH:mm:ssX"];
		const shapes = fc.constantFrom(...patterns);
		const zones = fc.constantFrom('GMT', 'America/New_York', '+05:30');
		// Perturbations the scanner must refuse or handle exactly like the general parser.
		const edits = fc.constantFrom<(text: string) => string>(
			(text) => text,
			(text) => text.replace(/-0(\d)-/, '-$1-'),
			(text) => `${text} trailing`,
			(text) => text.replace('Z', '+02:00'),
			(text) => text.replace(/\.(\d{3})/, '.$1987'),
			(text) => text.replace(/T(\d\d)/, 'T 24'),
		);
		fc.assert(
			fc.property(shapes, zones, instant, edits, (pattern, zoneName, epochMs, edit) => {
				const codec = compileDateFormat(pattern, zoneName, PARAMETER);
				const zone = zoneName === 'GMT' ? FixedOffsetZone.utcInstance : zoneName === '+05:30' ? FixedOffsetZone.instance(330) : IANAZone.create(zoneName);
				const general = compilePatternParser(tokenizeJavaDatePattern(pattern, PARAMETER), zoneOffsets(zone), { twoDigitYearStart: Date.UTC(1946, 5, 1) });
				const text = edit(codec.format(epochMs));
				const expected = general(text);
				if (typeof expected === 'string') {
					assert.throws(() => codec.parse(text), DateValueError);
				} else {
					assert.equal(codec.parse(text), expected);
				}
			}),
		);
	});
});

describe('compileDateFormat: configuration errors name the parameter and the value', () => {
	const badPatterns: Array<[format: string, hintPart: RegExp]> = [
		["yyyy-MM-dd'T'HH:mm:ss'", /unterminated quote/],
		['10 digit integer Unix time', /"seconds".*"milliseconds"/],
		["milliseconds'", /did you mean "milliseconds"/],
		['518862600', /no date letters/],
		['YYYY-MM-dd', /week year/],
		['kk:mm', /"k"/],
		['KK:mm a', /"K"/],
		['yyyy-ww', /week-in-year/],
		["yyyy-MM-dd'T'HH:mm:ssXXXX", /at most three "X"/],
		['yyyy-MM-ddTHH:mm', /"T" is not a date pattern letter/],
	];
	for (const [format, hintPart] of badPatterns) {
		it(`rejects ${JSON.stringify(format)}`, () => {
			assert.throws(
				() => compileDateFormat(format, 'GMT', PARAMETER),
				(error: unknown) =>
					error instanceof Office365ConfigError &&
					error.parameter === PARAMETER &&
					error.value === format &&
					error.message.startsWith(`Invalid ${PARAMETER} "${format}": `) &&
					hintPart.test(error.hint),
			);
		});
	}

	it('rejects an unknown timezone, naming the timezone setting', () => {
		assert.throws(
			() => compileDateFormat("yyyy-MM-dd'T'HH:mm:ss'Z'", 'Mars/Olympus', PARAMETER),
			(error: unknown) =>
				error instanceof Office365ConfigError &&
				error.parameter === `${PARAMETER} timezone` &&
				error.message.includes('"Mars/Olympus"') &&
				/IANA/.test(error.hint),
		);
	});

	it('does not consult the timezone for epoch formats', () => {
		assert.equal(compileDateFormat('milliseconds', '{TimeZone}', PARAMETER).parse('5'), 5);
	});
});

describe('compileDateFormat: values that do not fit throw DateValueError with value and pattern', () => {
	const badValues: Array<[format: string, value: unknown]> = [
		["yyyy-MM-dd'T'HH:mm:ss'Z'", '2026-13-01T00:00:00Z'],
		["yyyy-MM-dd'T'HH:mm:ss'Z'", '2026-02-30T00:00:00Z'],
		["yyyy-MM-dd'T'HH:mm:ss'Z'", '2026-11-28T24:00:00Z'],
		["yyyy-MM-dd'T'HH:mm:ss'Z'", '2026-11-28T10:00:00+02:00'],
		["yyyy-MM-dd'T'HH:mm:ss'Z'", '28.11.2026'],
		['EEE, dd MMM yyyy HH:mm:ss Z', 'Sat, 28 Nov 2026 10:00:00 +02:00'],
		['EEE, dd MMM yyyy HH:mm:ss Z', 'Sam, 28 Nov 2026 10:00:00 +0000'],
		['dd MMM yyyy', '28 Noe 2026'],
		["yyyy-MM-dd'T'HH:mm:ssXXX", '2026-11-28T10:00:00+25:00'],
		['milliseconds', 'yesterday'],
		['seconds', '1.2.3'],
		['ISO', '2026-11-28T10:00:00 UTC'],
		['ISO', '28/11/2026'],
		['ISO', { date: '2026-11-28' }],
	];
	for (const [format, value] of badValues) {
		it(`${JSON.stringify(format)} refuses ${JSON.stringify(value)}`, () => {
			const codec = compileDateFormat(format, 'GMT', PARAMETER);
			assert.throws(
				() => codec.parse(value),
				(error: unknown) =>
					error instanceof DateValueError &&
					error.message.includes(typeof value === 'string' ? `"${value}"` : JSON.stringify(value)) &&
					error.message.includes(`"${format}"`),
			);
		});
	}

	it('refuses to format a non-finite instant', () => {
		assert.throws(() => compileDateFormat('ISO', 'GMT', PARAMETER).format(Number.NaN), RangeError);
	});
});

describe('compileDateFormat: description', () => {
	it('says what is read and in which zone', () => {
		assert.equal(compileDateFormat("yyyy-MM-dd'T'HH:mm:ss'Z'", 'GMT', PARAMETER).description, "Java pattern yyyy-MM-dd'T'HH:mm:ss'Z' in UTC");
		assert.equal(compileDateFormat('milliseconds', undefined, PARAMETER).description, 'epoch milliseconds');
		assert.match(compileDateFormat('ISO', 'Europe/Berlin', PARAMETER).description, /ISO 8601.*Europe\/Berlin/);
	});
});

describe('compileDateFormat: parity with Java SimpleDateFormat (see also javaDateParity.test.ts)', () => {
	const at = (format: string, zone: string | undefined, text: string, now?: number) =>
		compileDateFormat(format, zone, PARAMETER, { now }).parse(text);
	const RFC = 'EEE, dd MMM yyyy HH:mm:ss Z';
	const WALL_WINTER = Date.UTC(2024, 2, 9, 23, 0, 0);
	const WALL_SUMMER = Date.UTC(2024, 6, 9, 23, 0, 0);

	it('refuses a zone the text continues with more offset, instead of dropping the rest (hours off)', () => {
		for (const [format, text] of [
			[RFC, 'Sat, 09 Mar 2024 23:00:00 GMT-0800'],
			[RFC, 'Sat, 09 Mar 2024 23:00:00 GMT+8'],
			[RFC, 'Sat, 09 Mar 2024 23:00:00 UTC+1'],
			[RFC, 'Sat, 09 Mar 2024 23:00:00 PST-0100'],
			[RFC, 'Sat, 09 Mar 2024 23:00:00 +08001'],
			["yyyy-MM-dd'T'HH:mmz", '2024-03-09T23:00UTC-08:00'],
			["yyyy-MM-dd'T'HH:mm:ssX", '2024-03-09T23:00:00+0530'],
			["yyyy-MM-dd'T'HH:mm:ssX", '2024-03-09T23:00:00+05:30'],
			["yyyy-MM-dd'T'HH:mm:ssXX", '2024-03-09T23:00:00+05301'],
		]) {
			assert.throws(() => at(format, 'GMT', text), DateValueError, `${format} / ${text}`);
		}
		// Where the rest does not change the instant, it stays trailing text, as in Java.
		assert.equal(at("yyyy-MM-dd'T'HH:mm:ssX", 'GMT', '2024-03-09T23:00:00-08:00'), WALL_WINTER + 8 * 3_600_000);
		assert.equal(at(RFC, 'GMT', 'Sat, 09 Mar 2024 23:00:00 GMT-08:00'), WALL_WINTER + 8 * 3_600_000);
		assert.equal(at(RFC, 'GMT', 'Sat, 09 Mar 2024 23:00:00 -0800 (PST)'), WALL_WINTER + 8 * 3_600_000);
	});

	it("reads RFC 822's zone names under Z and z, with their fixed offsets in any season", () => {
		const rfc822: Array<[name: string, hours: number]> = [
			['UT', 0], ['GMT', 0], ['UTC', 0], ['EST', -5], ['EDT', -4], ['CST', -6], ['CDT', -5], ['MST', -7], ['MDT', -6], ['PST', -8], ['PDT', -7],
		];
		for (const [name, hours] of rfc822) {
			for (const [wall, text] of [[WALL_WINTER, `Sat, 09 Mar 2024 23:00:00 ${name}`], [WALL_SUMMER, `Tue, 09 Jul 2024 23:00:00 ${name.toLowerCase()}`]] as const) {
				assert.equal(at(RFC, 'GMT', text), wall - hours * 3_600_000, text);
				assert.equal(at('EEE, dd MMM yyyy HH:mm:ss z', 'Europe/Berlin', text), wall - hours * 3_600_000, text);
			}
		}
	});

	it('reads a shared zone name only as the timezone setting’s own', () => {
		const format = 'yyyy-MM-dd HH:mm z';
		assert.equal(at(format, 'Asia/Kolkata', '2026-01-15 10:00 IST'), Date.UTC(2026, 0, 15, 4, 30));
		assert.equal(at(format, 'Asia/Jerusalem', '2026-01-15 10:00 IST'), Date.UTC(2026, 0, 15, 8, 0));
		assert.throws(() => at(format, 'GMT', '2026-01-15 10:00 IST'), /IST, only when it is the timezone setting's own/);
		assert.equal(at(format, 'Asia/Shanghai', '2026-01-15 10:00 CST'), Date.UTC(2026, 0, 15, 2, 0));
		assert.equal(at(format, 'GMT', '2026-01-15 10:00 CST'), Date.UTC(2026, 0, 15, 16, 0));
		// Long names, and the repeated autumn hour told apart by the name.
		assert.equal(at('yyyy-MM-dd HH:mm zzzz', 'GMT', '2026-07-15 10:00 Central European Summer Time'), Date.UTC(2026, 6, 15, 8, 0));
		assert.equal(at(format, 'America/New_York', '2026-11-01 01:30 EDT'), Date.UTC(2026, 10, 1, 5, 30));
		assert.equal(at(format, 'America/New_York', '2026-11-01 01:30 EST'), Date.UTC(2026, 10, 1, 6, 30));
	});

	it('writes z as Java does: the setting’s short or long name, standard or daylight as the instant falls', () => {
		const write = (format: string, zone: string, epochMs: number) => compileDateFormat(format, zone, PARAMETER).format(epochMs);
		const winter = Date.UTC(2026, 0, 15, 12);
		const summer = Date.UTC(2026, 6, 15, 12);
		assert.equal(write("yyyy-MM-dd'T'HH:mmz", 'GMT', winter), '2026-01-15T12:00GMT');
		assert.equal(write("yyyy-MM-dd'T'HH:mmz", 'UTC', winter), '2026-01-15T12:00UTC');
		assert.equal(write('HH:mm z|zzzz', 'Europe/Berlin', winter), '13:00 CET|Central European Standard Time');
		assert.equal(write('HH:mm z|zzzz', 'Europe/Berlin', summer), '14:00 CEST|Central European Summer Time');
		assert.equal(write('HH:mm z', 'PST', summer), '05:00 PDT');
		assert.equal(write('HH:mm z', 'EST', summer), '07:00 EST');
		assert.equal(write('HH:mm z', '+05:30', summer), '17:30 GMT+05:30');
		assert.equal(write('HH:mm z', 'Australia/Sydney', winter), '23:00 AEDT');
		const codec = compileDateFormat("yyyy-MM-dd'T'HH:mm:ss z", 'America/Los_Angeles', PARAMETER);
		for (const epochMs of [winter, summer, Date.UTC(2026, 10, 1, 8, 30), Date.UTC(2026, 10, 1, 9, 30)]) {
			assert.equal(codec.parse(codec.format(epochMs)), epochMs);
		}
		assert.throws(
			() => compileDateFormat('HH:mm z', 'Asia/Colombo', PARAMETER),
			(error: unknown) => error instanceof Office365ConfigError && error.value === 'HH:mm z' && /"Asia\/Colombo".*"XXX"/.test(error.hint),
		);
	});

	it('places two-digit years in the century starting 80 years before the injected now', () => {
		const mid2026 = Date.UTC(2026, 5, 15, 12);
		assert.equal(at('yy-MM-dd', 'GMT', '46-06-16', mid2026), Date.UTC(1946, 5, 16));
		assert.equal(at('yy-MM-dd', 'GMT', '46-06-14', mid2026), Date.UTC(2046, 5, 14));
		assert.equal(at('yy-MM-dd', 'GMT', '45-12-31', mid2026), Date.UTC(2045, 11, 31));
		assert.equal(at('yy-MM-dd', 'GMT', '47-01-01', mid2026), Date.UTC(1947, 0, 1));
		assert.equal(at('y-MM-dd', 'GMT', '47-01-01', mid2026), Date.UTC(1947, 0, 1));
		// The window moves with the clock: a year later, 46 is always 2046 and 47 becomes ambiguous.
		const mid2027 = Date.UTC(2027, 5, 15, 12);
		assert.equal(at('yy-MM-dd', 'GMT', '46-06-16', mid2027), Date.UTC(2046, 5, 16));
		assert.equal(at('yy-MM-dd', 'GMT', '47-06-14', mid2027), Date.UTC(2047, 5, 14));
		assert.equal(at('yy-MM-dd', 'GMT', '47-06-16', mid2027), Date.UTC(1947, 5, 16));
		// Not exactly two digits: the year as written.
		assert.equal(at('yy-MM-dd', 'GMT', '2046-06-16', mid2026), Date.UTC(2046, 5, 16));
		assert.equal(at('yy-MM-dd', 'GMT', '946-06-16', mid2026), utcDate(946, 6, 16));
	});

	it('refuses epoch numbers beyond the dates JavaScript can hold, and will not format beyond them', () => {
		for (const [format, text] of [
			['milliseconds', '8640000000000001'],
			['milliseconds', '-8640000000000001'],
			['milliseconds', '99999999999999999999999'],
			['seconds', '8640000000001'],
			['seconds', '-8640000000000.5'],
		]) {
			assert.throws(() => at(format, undefined, text), /beyond the dates JavaScript can hold/, `${format} ${text}`);
		}
		assert.equal(at('milliseconds', undefined, '8640000000000000'), 8.64e15);
		assert.equal(at('seconds', undefined, '-8640000000000'), -8.64e15);
		assert.throws(() => compileDateFormat('milliseconds', undefined, PARAMETER).format(8.64e15 + 1), RangeError);
		assert.throws(() => compileDateFormat("yyyy-MM-dd'T'HH:mm:ss'Z'", 'GMT', PARAMETER).format(-8.64e15 - 1), RangeError);
	});

	it('names the timezone setting as the caller asks', () => {
		assert.throws(
			() => compileDateFormat('yyyy-MM-dd', 'Mars/Olympus', 'contacts.datesConfiguration.updatedDateFormat', { timezoneParameter: 'contacts.datesConfiguration.updatedDateTimezone' }),
			/^Office365ConfigError: Invalid contacts\.datesConfiguration\.updatedDateTimezone "Mars\/Olympus": unknown timezone/,
		);
	});
});

/** Epoch ms of a proleptic Gregorian date; Date.UTC maps years 0–99 to 1900–1999. */
function utcDate(year: number, month: number, day: number): number {
	const date = new Date(Date.UTC(2000, month - 1, day));
	date.setUTCFullYear(year);
	return date.getTime();
}
