// Keeps a small mailbox changing for the demo: a new mail every ~interval, now and then a mail marked read or a
// new calendar event. One line per change goes to `log` so a viewer can match trigger output to causes.

import type { GraphSimulator } from './index';

export interface DemoActivityOptions {
	/** Mean time between new mails (ms); each wait varies ±20 %. Default 20 000. */
	intervalMs?: number;
	log?: (line: string) => void;
}

function shortId(id: string): string {
	return `…${id.slice(-14)}`;
}

/** Seeds a few items if the mailbox is empty, then starts changing it. Returns a stop function. */
export function startDemoActivity(sim: GraphSimulator, options: DemoActivityOptions = {}): () => void {
	const intervalMs = options.intervalMs ?? 20_000;
	const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
	const stamp = (): string => new Date(sim.clock()).toISOString().slice(0, 19) + 'Z';

	if (sim.state().counts.messages === 0) {
		const now = sim.clock();
		for (let i = 5; i >= 1; i--) sim.createMessage({}, { at: now - i * 11 * 60_000 });
		sim.createMessage({ isRead: true }, { folder: 'sentitems', at: now - 30 * 60_000 });
		sim.createEvent({}, { at: now - 45 * 60_000 });
		sim.createContact({}, { at: now - 2 * 3_600_000 });
		log(`[demo] ${stamp()} seeded 6 messages, 1 event, 1 contact`);
	}

	let tick = 0;
	let timer: NodeJS.Timeout | undefined;
	let stopped = false;

	const change = (): void => {
		tick += 1;
		const mail = sim.createMessage();
		log(`[demo] ${stamp()} new message "${mail.subject}" from ${mail.from.emailAddress.address} id=${shortId(mail.id)}`);
		if (tick % 3 === 0) {
			const unread = sim.list('messages', { folder: 'inbox' }).filter((m) => !m.isRead);
			const victim = unread[Math.floor(Math.random() * unread.length)];
			if (victim !== undefined) {
				sim.updateMessage(victim.id, { isRead: true });
				log(`[demo] ${stamp()} marked read "${victim.subject}" id=${shortId(victim.id)}`);
			}
		}
		if (tick % 4 === 0) {
			const event = sim.createEvent();
			log(`[demo] ${stamp()} new event "${event.subject}" at ${event.start.dateTime} UTC id=${shortId(event.id)}`);
		}
	};

	const schedule = (): void => {
		if (stopped) return;
		timer = setTimeout(
			() => {
				change();
				schedule();
			},
			intervalMs * (0.8 + Math.random() * 0.4),
		);
	};
	schedule();

	return () => {
		stopped = true;
		if (timer !== undefined) clearTimeout(timer);
	};
}
