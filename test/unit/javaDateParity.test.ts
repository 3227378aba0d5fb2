/**
 * Differential test against the JDK: the same patterns, zones and instants go through our date
 * translator and through java.text.SimpleDateFormat (test/support/SimpleDateFormatOracle.java, one
 * JVM for the whole batch), in both directions:
 * - format: our text equals Java's;
 * - parse: Java's text, and texts written to trip parsers (zone names, offsets glued to zones,
 *   out-of-range fields, two-digit years at the century edge, fractions), read by us gives Java's
 *   instant, or we differ in one of the ways the README's date table lists (DELIBERATE below;
 *   each must be seen at least once, and each is named in the README).
 * Cases: every pattern and zone of the Open Connectors reference configurations, SimpleDateFormat's
 * javadoc examples and a pattern per letter, in zones with and without DST, at instants around
 * each DST change of 1996 and 2024–2026, leap days, local year boundaries and the two-digit-year
 * window; `z`/`zzzz` in every zone whose names we know. "Now" is pinned on both sides.
 * Without `java` the test fails and says so.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { before, describe, it } from 'node:test';

import { utcMillis } from '../../nodes/Office365/trigger/dates/calendarMath';
import { compileDateFormat, type DateCodec } from '../../nodes/Office365/trigger/dates/javaDatePattern';
import { tokenizeJavaDatePattern } from '../../nodes/Office365/trigger/dates/javaPatternTokens';
import { resolveTimezone } from '../../nodes/Office365/trigger/dates/timezone';
import { findUrlPlaceholders } from '../../nodes/Office365/trigger/dates/urlPlaceholders';
import { JAVA_ZONES } from '../../nodes/Office365/trigger/dates/javaZoneTable';
import { compileZoneNameReader } from '../../nodes/Office365/trigger/dates/zoneNames';
import { zoneOffsets, type ZoneOffsets } from '../../nodes/Office365/trigger/dates/zoneOffsets';
import { DateValueError, Office365ConfigError } from '../../nodes/Office365/trigger/errors';
import { isRecord, readCorpus } from '../support/openConnectorsCorpus';

const ORACLE = path.resolve(__dirname, '../support/SimpleDateFormatOracle.java');
const README = path.resolve(__dirname, '../../README.md');
/** Pinned "now": two-digit years fall in 1946-06-15T12:00Z … 2046-06-15T11:59Z. */
const NOW = Date.UTC(2026, 5, 15, 12);
const HOUR = 3_600_000;

/** The README's names for the ways we deliberately differ from Java, by category. */
const DELIBERATE = {
	fraction: 'S letters are a fraction',
	fractionAfterSeconds: 'A fraction after seconds',
	rollOver: 'Out-of-range fields',
	zoneContinued: 'A zone followed by more offset',
	zoneName: 'Zone names',
	ut: '`UT`',
	julian: 'Before 15 October 1582',
	unknownZone: 'Unknown timezone settings',
	honouredZone: 'Offsets, US daylight abbreviations and zone names in any case as settings',
} as const;
type Category = keyof typeof DELIBERATE;

const EXTRA_PATTERNS = [
	// SimpleDateFormat's javadoc examples (those without the week and k/K letters we refuse).
	"yyyy.MM.dd G 'at' HH:mm:ss z",
	"EEE, MMM d, ''yy",
	'h:mm a',
	"hh 'o''clock' a, zzzz",
	'yyyyy.MMMMM.dd GGG hh:mm aaa',
	'EEE, d MMM yyyy HH:mm:ss Z',
	'yyMMddHHmmssZ',
	"yyyy-MM-dd'T'HH:mm:ss.SSSZ",
	"yyyy-MM-dd'T'HH:mm:ss.SSSXXX",
	// Every other letter and count we support.
	'yy-MM-dd HH:mm',
	'd/M/yy H:m:s',
	'y-M-d',
	'yyyy-DDD u E',
	'EEEE, MMMM d, yyyy',
	"yyyy-MM-dd'T'HH:mm:ssX",
	"yyyy-MM-dd'T'HH:mm:ssXX",
	'HH:mm:ss.S',
	'HH:mm:ss.SS dd LLL yyyy',
	'yyyyMMddHHmmssSSS',
	"MM/dd/yyyy hh:mm:ss a z",
];
const EXTRA_ZONES = ['GMT', 'UTC', 'America/New_York', 'Europe/Berlin', 'Australia/Sydney', 'America/St_Johns', 'Asia/Kolkata', 'Europe/London', '-8:00', '+05:30', 'PST', 'EST'];
/** Zone settings compared with TimeZone.getTimeZone. */
const ZONE_SETTINGS = [
	...['', 'GMT', 'UTC', 'UT', 'Z', 'Etc/UTC', 'America/Denver', 'Europe/Berlin', 'Asia/Kolkata', 'Australia/Lord_Howe'],
	...['EST', 'MST', 'HST', 'ACT', 'AET', 'AGT', 'ART', 'AST', 'BET', 'BST', 'CAT', 'CNT', 'CST', 'CTT', 'EAT', 'ECT', 'IET', 'IST', 'JST'],
	...['MIT', 'NET', 'NST', 'PLT', 'PNT', 'PRT', 'PST', 'SST', 'VST'],
	...['GMT+2', 'GMT-08:00', 'GMT+05:30', '-8:00', '+02:00', '+0530', 'UTC+1'],
	...['EDT', 'CDT', 'MDT', 'PDT'],
	...['europe/berlin', 'Mars/Olympus', 'Central European Time', 'PSTX', '{TimeZone}'],
];
/** Texts put where a `z`/`Z` zone goes, besides every zone name we read. */
const ZONE_TEXTS = [
	...['UT', 'UTC', 'GMT', 'gmt', 'GMT-0800', 'GMT-08:00', 'GMT-8:00', 'GMT+8', 'GMT+08', 'GMT+2:00', 'GMT+24:00', 'UTC+1', 'UTC-08:00'],
	...['+0800', '-0800', '+08:00', '+08001', '+0860', '+2400', 'Z', 'pst', 'Pacific Standard Time', 'IST', 'CST', 'BST', 'XYZ', 'America/Los_Angeles'],
];
const ISO_ZONE_TEXTS = ['Z', '+05', '-08', '+0530', '-0800', '+0500', '+05:30', '-08:00', '+05:00', '+05:3', '+0860'];

interface ParseCase {
	pattern: string;
	setting: string;
	text: string;
	/** The text standing for the zone, when the case substitutes one. */
	zoneText?: string;
}

const FIELD_CASES: Array<[pattern: string, settings: string[], texts: string[]]> = [
	[
		'yyyy-MM-dd HH:mm:ss',
		['GMT', 'America/New_York'],
		[
			...['2026-02-30 10:00:00', '2026-13-01 00:00:00', '2026-04-31 00:00:00', '2026-01-01 24:00:00', '2026-01-01 23:60:00'],
			...['2026-01-01 23:59:60', '2024-02-29 12:00:00', '2100-02-29 12:00:00', '2026-00-10 00:00:00', '2026-01-00 00:00:00'],
			...['2026-1-5 7:8:9', ' 2026-01-05 07:08:09', '2026-01-05  07:08:09', '2026-01-05 07:08:09 trailing', '2026-01-05 07:08:09.1234567'],
			...['2026-03-08 02:30:00', '2026-11-01 01:30:00', '2026-01-05T07:08:09', '1500-03-01 00:00:00'],
		],
	],
	["yyyy-MM-dd'T'HH:mm:ss'Z'", ['GMT'], ['2017-10-07T04:59:13.8136423Z', '2026-11-28T10:00:00Z', '2026-11-28T10:00:00+02:00', '2026-11-28T10:00:00,5Z']],
	["yyyy-MM-dd'T'HH:mm:ss.SSS'Z'", ['GMT'], ['2017-10-07T04:59:13.8136423Z', '2017-10-07T04:59:13.5Z', '2017-10-07T04:59:13.045Z', '2017-10-07T04:59:13.045123Z']],
	[
		'yy-MM-dd',
		['GMT', 'Asia/Tokyo'],
		['45-06-15', '46-06-14', '46-06-16', '46-06-15', '47-01-01', '00-01-01', '99-12-31', '2026-01-01', '26-1-1', '05-01-01', '946-06-14'],
	],
	['y-MM-dd', ['GMT'], ['46-06-14', '46-06-16', '2046-06-16']],
	['yyyy-MM-dd', ['GMT'], ['46-06-14', '1946-06-14', '2026-11-28T10:00:00Z']],
	['EEE, d MMM yyyy', ['GMT'], ['Sat, 28 Nov 2026', 'Mon, 28 Nov 2026', 'Saturday, 28 November 2026', 'sat, 28 nov 2026', 'Sat, 28 Sept 2026', 'Sat, 31 Nov 2026']],
	['hh:mm a', ['GMT'], ['12:30 AM', '12:30 PM', '13:30 PM', '00:30 AM', '01:05 pm']],
	['yyyyMMddHHmmss', ['GMT'], ['20261128100000', '2026112810000', '20261128240000']],
	['yyyy-DDD', ['GMT'], ['2026-332', '2026-366', '2024-366', '2026-000']],
];

interface OracleAnswer {
	ok: boolean;
	/** The answer's tab-separated fields (see SimpleDateFormatOracle.java); for an error, the error. */
	fields: string[];
}

/** Runs every request through one JVM; fails loudly without `java`. */
function askJava(requests: string[][]): OracleAnswer[] {
	const java = process.env.JAVA_HOME ? path.join(process.env.JAVA_HOME, 'bin', 'java') : 'java';
	const input = requests.map((fields) => fields.join('\t')).join('\n') + '\n';
	// C1 only and the serial collector: a short batch job starts and finishes faster that way.
	const flags = ['-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC', '-Duser.timezone=UTC', '-Duser.language=en', '-Duser.country=US'];
	const result = spawnSync(java, [...flags, ORACLE], {
		input,
		encoding: 'utf8',
		maxBuffer: 1 << 28,
		timeout: 120_000,
	});
	if ((result.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') {
		assert.fail(
			`"${java}" was not found: this test compares the date translator with the JDK's SimpleDateFormat and needs Java 11 or later ` +
				'(apt-get install openjdk-17-jdk-headless, or set JAVA_HOME)',
		);
	}
	assert.equal(result.status, 0, `the SimpleDateFormat oracle failed: ${result.error ?? ''} ${result.stderr}`);
	const lines = result.stdout.split('\n').slice(0, -1);
	assert.equal(lines.length, requests.length, 'one answer per request');
	return lines.map((line) => (line.startsWith('!') ? { ok: false, fields: [line.slice(1)] } : { ok: true, fields: line.split('\t') }));
}

// ---------------------------------------------------------------------------------------------
// Building the cases

const codecs = new Map<string, DateCodec>();

function compile(pattern: string, setting: string): DateCodec {
	const key = `${pattern}\t${setting}`;
	let codec = codecs.get(key);
	if (codec === undefined) {
		codec = compileDateFormat(pattern, setting, 'date format', { now: NOW });
		codecs.set(key, codec);
	}
	return codec;
}

const readableNames = new Map<string, Set<string>>();

function zoneNamesReadIn(setting: string): Set<string> {
	let names = readableNames.get(setting);
	if (names === undefined) {
		names = new Set(compileZoneNameReader(resolveTimezone(setting, 'zone').javaId).names);
		readableNames.set(setting, names);
	}
	return names;
}

function compiles(pattern: string, setting: string): boolean {
	try {
		compile(pattern, setting);
		return true;
	} catch (error) {
		if (error instanceof Office365ConfigError) return false;
		throw error;
	}
}

/** (pattern, zone) pairs of the reference configurations that we translate. */
function corpusPairs(): Array<[string, string]> {
	const pairs = new Map<string, [string, string]>();
	const add = (pattern: string, setting: string | undefined) => {
		if (/^\s*(milliseconds|seconds|iso)?\s*$/i.test(pattern) || !compiles(pattern, setting ?? '')) return;
		pairs.set(`${pattern}\t${setting ?? ''}`, [pattern, setting ?? '']);
	};
	for (const file of readCorpus()) {
		for (const { configuration } of file.resources) {
			if (!isRecord(configuration)) continue;
			const dates = isRecord(configuration.datesConfiguration) ? configuration.datesConfiguration : {};
			for (const kind of ['updated', 'created']) {
				const format = dates[`${kind}DateFormat`];
				const zone = dates[`${kind}DateTimezone`];
				if (typeof format === 'string') add(format, typeof zone === 'string' ? zone : undefined);
			}
			if (typeof configuration.url !== 'string') continue;
			for (const { body } of findUrlPlaceholders(configuration.url)) {
				const [descriptor, ...rest] = body.split(':');
				if (/^(gmtdate|date)$/i.test(descriptor) && rest.length > 0) add(rest.join(':'), 'GMT');
				if (/^datetimezone$/i.test(descriptor)) add(rest.slice(1).join(':'), rest[0]);
			}
		}
	}
	return [...pairs.values()];
}

/** Instants where our and Java's calendars are most likely to disagree, for one zone. */
function instantsFor(setting: string): number[] {
	const offsets = zoneOffsets(resolveTimezone(setting, 'zone').zone);
	const instants = new Set<number>();
	for (const year of [1996, 2024, 2025, 2026]) {
		for (const change of transitions(offsets, year)) {
			for (const delta of [-HOUR, -60_000, -1, 0, 1, HOUR / 2 + 123, HOUR + 999]) instants.add(change + delta);
		}
	}
	const local = (year: number, month: number, day: number, hour = 0) => offsets.wallTimeToEpoch(utcMillis(year, month, day, hour, 0, 0, 0));
	for (const year of [1970, 2000, 2026, 2100]) for (const delta of [-1, 0, 1]) instants.add(local(year, 1, 1) + delta);
	for (const year of [2000, 2024, 2100]) {
		instants.add(local(year, 2, 28, 12) + 345);
		instants.add(local(year, 3, 1) - 1);
		instants.add(local(year, 3, 1));
	}
	// Around the start of the two-digit-year century and its ambiguous year.
	for (const [year, month, day] of [[1946, 6, 14], [1946, 6, 16], [2045, 12, 31], [2046, 6, 14], [2046, 6, 16], [1947, 1, 1]]) {
		instants.add(local(year, month, day, 12));
	}
	let seed = 20_260_615;
	for (let count = 0; count < 12; count++) {
		seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
		instants.add(Date.UTC(1950, 0, 1) + Math.floor((seed / 2 ** 31) * (Date.UTC(2090, 0, 1) - Date.UTC(1950, 0, 1))));
	}
	return [...instants].sort((a, b) => a - b);
}

/** The instants in `year` where the zone's offset changes, found by bisecting weekly steps. */
function transitions(offsets: ZoneOffsets, year: number): number[] {
	if (offsets.fixedMinutes !== undefined) return [];
	const changes: number[] = [];
	const week = 7 * 24 * HOUR;
	for (let start = Date.UTC(year, 0, 1); start < Date.UTC(year + 1, 0, 1); start += week) {
		let low = start;
		let high = start + week;
		if (offsets.at(low) === offsets.at(high)) continue;
		while (high - low > 1) {
			const middle = Math.floor((low + high) / 2);
			if (offsets.at(middle) === offsets.at(low)) low = middle;
			else high = middle;
		}
		changes.push(high);
	}
	return changes;
}

/** Java writes `S` as a zero-padded millisecond count, we write the fraction: compare other fields as SSS. */
function withMillisecondFraction(pattern: string): string {
	const differs = tokenizeJavaDatePattern(pattern, 'pattern').some((token) => token.kind === 'field' && token.letter === 'S' && token.count !== 3);
	// Outside quotes only: the even pieces between quote marks are pattern letters.
	return differs ? pattern.split("'").map((piece, index) => (index % 2 === 0 ? piece.replace(/S+/g, 'SSS') : piece)).join("'") : pattern;
}

/** Every zone name we read is tried with this pattern, in these settings (their own names come first). */
const NAME_PATTERN = 'EEE, d MMM yyyy HH:mm:ss z';
const NAME_SETTINGS = ['GMT', 'Asia/Kolkata', 'Asia/Shanghai', 'America/Phoenix', 'America/New_York', 'Australia/Sydney', 'Europe/London'];

/** Zone-substitution cases for patterns ending in a zone letter: ZONE_TEXTS, and `names` besides. */
function zoneCases(pattern: string, setting: string, names: string[] = []): ParseCase[] {
	const trailing = /([zZX])\1*$/.exec(pattern);
	if (trailing === null) return [];
	const prefixPattern = pattern.slice(0, trailing.index);
	if (!/[A-Za-z]/.test(prefixPattern.replace(/'[^']*'/g, ''))) return [];
	const prefix = compile(prefixPattern, setting);
	const texts = trailing[1] === 'X' ? ISO_ZONE_TEXTS : [...ZONE_TEXTS, ...names];
	return [Date.UTC(2026, 0, 15, 23, 30), Date.UTC(2026, 6, 15, 23, 30)].flatMap((instant) =>
		texts.map((zoneText) => ({ pattern, setting, text: prefix.format(instant) + zoneText, zoneText })),
	);
}

// ---------------------------------------------------------------------------------------------
// Comparing

type Ours = { ok: true; epochMs: number } | { ok: false; reason: string };

function ourParse(codec: DateCodec, text: string): Ours {
	try {
		return { ok: true, epochMs: codec.parse(text)! };
	} catch (error) {
		if (error instanceof DateValueError) return { ok: false, reason: error.message };
		throw error;
	}
}

/**
 * 'same', a deliberate difference, or undefined for a difference nobody documented. Each rule
 * checks the difference is the documented one, not merely that the case is of its kind.
 */
function classify(testCase: ParseCase, java: OracleAnswer, ours: Ours): 'same' | Category | undefined {
	const { pattern, text, zoneText } = testCase;
	const letters = new Set(pattern.replace(/'[^']*'/g, '').match(/[A-Za-z]/g));
	const lastIsZone = /[zZX]$/.test(pattern);
	if (!java.ok && !ours.ok) return 'same';
	const [javaValue, javaIndex, javaReformatted] = java.fields;
	if (java.ok && ours.ok) {
		const javaMs = Number(javaValue);
		if (javaMs === ours.epochMs) return 'same';
		const fractionDigits = /:\d\d[.,](\d+)/.exec(text)?.[1];
		if (letters.has('S') && fractionDigits !== undefined && fractionDigits.length !== 3) return 'fraction';
		// Java stops before the fraction (trailing text); we read it, so only the milliseconds differ.
		const sameSecond = Math.floor(javaMs / 1000) === Math.floor(ours.epochMs / 1000);
		if (!letters.has('S') && fractionDigits !== undefined && sameSecond && javaMs % 1000 === 0) return 'fractionAfterSeconds';
		// Java's GregorianCalendar is Julian before the 1582 reform (10 days apart then, plus local mean time).
		if (javaMs < Date.UTC(1582, 9, 15) && Math.abs(javaMs - ours.epochMs) <= 11 * 24 * HOUR) return 'julian';
		return undefined;
	}
	if (java.ok && !ours.ok) {
		const read = text.slice(0, Number(javaIndex));
		if (/out of range|does not exist/.test(ours.reason) && javaReformatted.toLowerCase() !== read.toLowerCase()) return 'rollOver';
		const rest = text.slice(read.length);
		if (lastIsZone && /^(?::?\d|[+-]\d)/.test(rest)) return 'zoneContinued';
		if (zoneText !== undefined && /^[A-Za-z][A-Za-z .-]*$/.test(zoneText)) {
			if (!zoneNamesReadIn(testCase.setting).has(zoneText.toLowerCase()) || / zone name "/.test(ours.reason)) return 'zoneName';
		}
		return undefined;
	}
	if (zoneText?.toLowerCase() === 'ut') return 'ut';
	if (letters.has('s') && !letters.has('S') && /:\d\d[.,]\d/.test(text)) return 'fractionAfterSeconds';
	return undefined;
}

// ---------------------------------------------------------------------------------------------

describe('date translator vs the JDK SimpleDateFormat', () => {
	const formatCases: Array<{ pattern: string; setting: string; epochMs: number }> = [];
	const parseCases: ParseCase[] = [];
	const settingCases: Array<{ setting: string; at: number[] }> = [];
	let formatAnswers: OracleAnswer[] = [];
	let parseAnswers: OracleAnswer[] = [];
	let zoneAnswers: OracleAnswer[] = [];
	const seen = new Map<Category, string>();

	before(() => {
		const pairs = new Map<string, [string, string]>();
		for (const pair of corpusPairs()) pairs.set(pair.join('\t'), pair);
		for (const pattern of EXTRA_PATTERNS) for (const setting of EXTRA_ZONES) if (compiles(pattern, setting)) pairs.set(`${pattern}\t${setting}`, [pattern, setting]);
		for (const [pattern, setting] of pairs.values()) {
			const comparable = withMillisecondFraction(pattern);
			for (const epochMs of instantsFor(setting)) formatCases.push({ pattern: comparable, setting, epochMs });
			parseCases.push(...zoneCases(pattern, setting));
		}
		for (const javaId of JAVA_ZONES.keys()) {
			const offsets = zoneOffsets(resolveTimezone(javaId, 'zone').zone);
			const changes = transitions(offsets, 2025).flatMap((change) => [change - 1, change]);
			const instants = [Date.UTC(2025, 0, 15, 12), Date.UTC(2025, 6, 15, 12), ...changes];
			for (const pattern of ['yyyy-MM-dd HH:mm z', 'yyyy-MM-dd HH:mm zzzz']) for (const epochMs of instants) formatCases.push({ pattern, setting: javaId, epochMs });
		}
		for (const setting of NAME_SETTINGS) parseCases.push(...zoneCases(NAME_PATTERN, setting, [...zoneNamesReadIn(setting)]));
		for (const [pattern, settings, texts] of FIELD_CASES) for (const setting of settings) for (const text of texts) parseCases.push({ pattern, setting, text });
		for (const setting of ZONE_SETTINGS) settingCases.push({ setting, at: [Date.UTC(2026, 0, 15), Date.UTC(2026, 6, 15)] });

		const javaId = (setting: string) => resolveTimezone(setting, 'zone').javaId;
		const answers = askJava([
			['now', String(NOW)],
			...formatCases.map(({ pattern, setting, epochMs }) => ['formatparse', pattern, javaId(setting), String(epochMs)]),
			...parseCases.map(({ pattern, setting, text }) => ['parse', pattern, javaId(setting), text]),
			...settingCases.map(({ setting, at }) => ['zone', setting, ...at.map(String)]),
		]);
		formatAnswers = answers.slice(1, 1 + formatCases.length);
		parseAnswers = answers.slice(1 + formatCases.length, 1 + formatCases.length + parseCases.length);
		zoneAnswers = answers.slice(1 + formatCases.length + parseCases.length);
	});

	it('formats like Java, and reads what Java writes as Java does', () => {
		assert.ok(formatCases.length > 10_000, `${formatCases.length} cases`);
		const failures: string[] = [];
		formatCases.forEach(({ pattern, setting, epochMs }, index) => {
			const java = formatAnswers[index];
			const where = `${JSON.stringify(pattern)} in ${setting} at ${new Date(epochMs).toISOString()}`;
			assert.ok(java.ok, `Java refused ${where}: ${java.fields[0]}`);
			const [javaText, javaParsed] = java.fields;
			const codec = compile(pattern, setting);
			const ours = codec.format(epochMs);
			if (ours !== javaText) failures.push(`${where}: ours ${JSON.stringify(ours)}, Java ${JSON.stringify(javaText)}`);
			const reread = ourParse(codec, javaText);
			const expected = javaParsed === undefined ? 'refused' : Number(javaParsed);
			if ((reread.ok ? reread.epochMs : 'refused') !== expected) {
				failures.push(`${where}: reading ${JSON.stringify(javaText)} gives ${reread.ok ? new Date(reread.epochMs).toISOString() : reread.reason}, Java ${expected === 'refused' ? expected : new Date(expected).toISOString()}`);
			}
		});
		assert.deepEqual(failures.slice(0, 20), [], `${failures.length} of ${formatCases.length} differ`);
	});

	it('reads tricky texts as Java does, or differs only as the README says', () => {
		assert.ok(parseCases.length > 1000, `${parseCases.length} cases`);
		const failures: string[] = [];
		parseCases.forEach((testCase, index) => {
			const java = parseAnswers[index];
			const ours = ourParse(compile(testCase.pattern, testCase.setting), testCase.text);
			const verdict = classify(testCase, java, ours);
			if (verdict === undefined) {
				const [value, readCount] = java.fields;
				const javaSays = java.ok ? `${new Date(Number(value)).toISOString()} (read ${readCount} chars)` : `refused at ${value}`;
				const oursSays = ours.ok ? new Date(ours.epochMs).toISOString() : ours.reason;
				failures.push(`${JSON.stringify(testCase.pattern)} in ${testCase.setting}, ${JSON.stringify(testCase.text)}: Java ${javaSays}, ours ${oursSays}`);
			} else if (verdict !== 'same' && !seen.has(verdict)) {
				seen.set(verdict, `${testCase.pattern} / ${testCase.text}`);
			}
		});
		assert.deepEqual(failures.slice(0, 20), [], `${failures.length} of ${parseCases.length} differ`);
	});

	it('resolves zone settings as TimeZone.getTimeZone does, or as the README says', () => {
		const failures: string[] = [];
		settingCases.forEach(({ setting, at }, index) => {
			const [javaId, ...javaOffsets] = zoneAnswers[index].fields;
			let ours: number[] | undefined;
			try {
				const { zone } = resolveTimezone(setting, 'zone');
				ours = at.map((epochMs) => zone.offset(epochMs));
			} catch (error) {
				if (!(error instanceof Office365ConfigError)) throw error;
			}
			const javaFellBack = javaId === 'GMT' && !['', 'GMT', 'UT', 'Z'].includes(setting.toUpperCase());
			let verdict: 'same' | Category | undefined;
			if (ours !== undefined && ours.join() === javaOffsets.join()) verdict = 'same';
			else if (javaFellBack && ours === undefined) verdict = 'unknownZone';
			else if (javaFellBack) verdict = 'honouredZone';
			if (verdict === undefined) failures.push(`${JSON.stringify(setting)}: Java ${javaId} ${javaOffsets.join('/')}, ours ${ours?.join('/') ?? 'refused'}`);
			else if (verdict !== 'same' && !seen.has(verdict)) seen.set(verdict, setting);
		});
		assert.deepEqual(failures, []);
	});

	it('meets every deliberate difference in the cases, and the README lists each', () => {
		const readme = readFileSync(README, 'utf8');
		for (const [category, name] of Object.entries(DELIBERATE)) {
			assert.ok(seen.has(category as Category), `no case shows "${name}"`);
			assert.ok(readme.includes(name), `README.md's date table names "${name}"`);
		}
	});
});
