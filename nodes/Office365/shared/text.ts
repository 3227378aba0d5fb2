/** Shortens a value for a message, so a huge or multi-line value stays readable. */
export function preview(value: unknown, max = 60): string {
	let text: string;
	if (typeof value === 'string') text = value;
	else if (value === undefined) text = 'undefined';
	else {
		try {
			text = JSON.stringify(value) ?? String(value);
		} catch {
			text = Object.prototype.toString.call(value);
		}
	}
	text = text.replace(/[\r\n\t]+/g, ' ');
	return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** Like preview, but strings are shown in double quotes so that empty or odd values stay visible. */
export function quoted(value: unknown, max = 60): string {
	return typeof value === 'string' ? `"${preview(value, max)}"` : preview(value, max);
}
