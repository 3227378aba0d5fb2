/** A configured URL split into its path and its query options (the options' names and values decoded). */
interface UrlParts {
	path: string;
	query: Array<[string, string]>;
}

/** Splits `path?query` keeping a literal `+` (offsets in date filters) instead of turning it into a space. */
export function splitUrl(url: string): UrlParts {
	const at = url.indexOf('?');
	if (at < 0) return { path: url, query: [] };
	const query: Array<[string, string]> = [];
	for (const part of url.slice(at + 1).split('&')) {
		if (!part) continue;
		const eq = part.indexOf('=');
		const name = eq < 0 ? part : part.slice(0, eq);
		const value = eq < 0 ? '' : part.slice(eq + 1);
		query.push([safeDecode(name), safeDecode(value)]);
	}
	return { path: url.slice(0, at), query };
}

function safeDecode(text: string): string {
	try {
		return decodeURIComponent(text);
	} catch {
		return text;
	}
}
