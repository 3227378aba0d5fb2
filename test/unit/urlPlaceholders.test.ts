import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { Office365ConfigError } from '../../nodes/Office365/trigger/errors';
import {
	expandUrlPlaceholders,
	findUrlPlaceholders,
	validateUrlPlaceholders,
} from '../../nodes/Office365/trigger/dates/urlPlaceholders';

/** Saturday 2026-11-28 10:11:12.345 UTC. */
const SINCE = Date.UTC(2026, 10, 28, 10, 11, 12, 345);

const expansions: Array<[url: string, expected: string, serverZone?: string]> = [
	[
		"/me/messages?$filter=lastModifiedDateTime ge ${gmtDate:yyyy-MM-dd'T'HH:mm:ss'Z'}&$top=50",
		'/me/messages?$filter=lastModifiedDateTime ge 2026-11-28T10:11:12Z&$top=50',
	],
	["/x?where=a>'${date:yyyy-MM-dd'T'HH:mm:ssXXX}'", "/x?where=a>'2026-11-28T10:11:12Z'"],
	["/x?where=a>'${date:yyyy-MM-dd'T'HH:mm:ssXXX}'", "/x?where=a>'2026-11-28T11:11:12%2B01:00'", 'Europe/Berlin'],
	["/x?where=a>'${date}'", "/x?where=a>'2026-11-28T10:11:12Z'", 'Europe/Berlin'],
	["/x?a=${dateTimeZone:America/Denver:yyyy-MM-dd'T'HH:mm:ss.SSS'Z'}", '/x?a=2026-11-28T03:11:12.345Z'],
	["/x?a=${DateTimeZone:PST:yyyy-MM-dd'T'HH:mm:ss.SSS}", '/x?a=2026-11-28T02:11:12.345'],
	['/x?a=${dateTimeZone:-8:00:HH:mm}', '/x?a=02:11'],
	['/x?a=${dateTimeZone:GMT-08:00:yyyy-MM-ddXXX}', '/x?a=2026-11-28-08:00'],
	["/x?a=${dateTimeZone:+05:30:yyyy-MM-dd'T'HH:mm:ssXXX}", '/x?a=2026-11-28T15:41:12%2B05:30'],
	[
		'/x?ms=${epoch}&ms2=${epoch:ms}&s=${epoch:s}&us=${epoch:us}&m=${milliseconds}',
		'/x?ms=1795860672345&ms2=1795860672345&s=1795860672&us=1795860672345000&m=1795860672345',
	],
	// Blanks, + and & would change the query's meaning; : / , ' stay readable.
	["/x?where=d='${gmtDate:EEE, dd MMM yyyy HH:mm:ss Z}'", "/x?where=d='Sat,%2028%20Nov%202026%2010:11:12%20%2B0000'"],
	["/x?where=d>'${gmtDate:MM/dd/yyyy HH:mm:ss}'", "/x?where=d>'11/28/2026%2010:11:12'"],
	["/x?d=${gmtDate:yyyy'&'MM'#'dd}", '/x?d=2026%2611%2328'],
	// z writes Java's zone name (Taleo Business Edition's configuration).
	["/x?where=lastUpdated_from='${gmtDate:yyyy-MM-dd'T'HH:mmz}'", "/x?where=lastUpdated_from='2026-11-28T10:11GMT'"],
	['/x?a=${dateTimeZone:Europe/Berlin:HH:mm z}&b=${dateTimeZone:America/Denver:HH:mm zzzz}', '/x?a=11:11%20CET&b=03:11%20Mountain%20Standard%20Time'],
	// In the path, / must not add segments.
	['/reports/${gmtDate:MM/dd/yyyy}/items?since=${epoch:s}', '/reports/11%2F28%2F2026/items?since=1795860672'],
	// No placeholders: untouched, single-brace path parameters included.
	['/hubs/general/calendars/{calendarId}/changed-events', '/hubs/general/calendars/{calendarId}/changed-events'],
];

describe('expandUrlPlaceholders', () => {
	for (const [url, expected, serverZone] of expansions) {
		it(`${url}${serverZone ? ` (server zone ${serverZone})` : ''} → ${expected}`, () => {
			assert.equal(expandUrlPlaceholders(url, SINCE, { serverZone }), expected);
		});
	}
});

describe('URL placeholder errors name the parameter and the placeholder', () => {
	const PARAMETER = 'resources.messages.url';
	const invalid: Array<[url: string, placeholder: string, hintPart: RegExp]> = [
		['/x?a=${foo}', '${foo}', /unknown placeholder "foo"/],
		["/x?a='${518862600}'", '${518862600}', /literal number/],
		["/x?a='${date:10 digit integer Unix time}'", '${date:10 digit integer Unix time}', /\$\{epoch:s\}/],
		['/hubs/{{page.hdOrcrm}}/contacts', '{{page.hdOrcrm}}', /template variable/],
		[
			'/x?a=${dateTimeZone:{TimeZone}:yyyy-MM-dd HH:mm:ss}',
			'${dateTimeZone:{TimeZone}:yyyy-MM-dd HH:mm:ss}',
			/zone "\{TimeZone\}".*unfilled template/,
		],
		['/x?a=${dateTimeZone:PST}', '${dateTimeZone:PST}', /\$\{dateTimeZone:<zone>:<pattern>\}/],
		['/x?a=${dateTimeZone:Mars/Olympus:yyyy}', '${dateTimeZone:Mars/Olympus:yyyy}', /zone "Mars\/Olympus"/],
		['/x?a=${epoch:ns}', '${epoch:ns}', /epoch unit "ns"/],
		['/x?a=${milliseconds:s}', '${milliseconds:s}', /no argument/],
		['/x?a=${gmtDate:yyyy-MM-dd', '${gmtDate:yyyy-MM-dd', /closing/],
		["/x?a=${gmtDate:yyyy-MM-dd'T'HH:mm'}", "${gmtDate:yyyy-MM-dd'T'HH:mm'}", /pattern "yyyy-MM-dd'T'HH:mm'".*unterminated quote/],
		['/x?a=${dateTimeZone:Asia/Colombo:HH:mm z}', '${dateTimeZone:Asia/Colombo:HH:mm z}', /pattern "HH:mm z".*"z" writes Java's name/],
	];
	for (const [url, placeholder, hintPart] of invalid) {
		it(`refuses ${placeholder}`, () => {
			for (const check of [() => validateUrlPlaceholders(url, PARAMETER), () => expandUrlPlaceholders(url, SINCE, { parameter: PARAMETER })]) {
				assert.throws(
					check,
					(error: unknown) =>
						error instanceof Office365ConfigError &&
						error.parameter === PARAMETER &&
						error.value === placeholder &&
						error.message.startsWith(`Invalid ${PARAMETER} "${placeholder}": `) &&
						hintPart.test(error.hint),
				);
			}
		});
	}

	it('refuses an unknown server zone', () => {
		assert.throws(() => expandUrlPlaceholders('/x', SINCE, { serverZone: 'Nowhere/Town' }), /Invalid server timezone "Nowhere\/Town"/);
	});

	it('accepts a valid URL without throwing', () => {
		assert.doesNotThrow(() => validateUrlPlaceholders("/x?a=${gmtDate:yyyy-MM-dd'T'HH:mm:ss'Z'}&b=${epoch:s}", PARAMETER));
	});
});

describe('findUrlPlaceholders', () => {
	it('finds ${…} (with nested braces) and {{…}}, not $filter or {id}', () => {
		const url = "/a/{{page.x}}/{id}?$filter=b ge ${dateTimeZone:{TimeZone}:yyyy}&c=${epoch:s}";
		assert.deepEqual(findUrlPlaceholders(url), [
			{ text: '{{page.x}}', index: 3, body: 'page.x', style: 'template' },
			{ text: '${dateTimeZone:{TimeZone}:yyyy}', index: 32, body: 'dateTimeZone:{TimeZone}:yyyy', style: 'date' },
			{ text: '${epoch:s}', index: 66, body: 'epoch:s', style: 'date' },
		]);
	});
});
