import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.text.ParsePosition;
import java.text.SimpleDateFormat;
import java.util.Calendar;
import java.util.Date;
import java.util.GregorianCalendar;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TimeZone;

/**
 * What java.text.SimpleDateFormat does, for the differential test (test/unit/javaDateParity.test.ts).
 * Reads requests from stdin, one per line, fields separated by tabs, and answers each with one line:
 *
 *   now     epochMs                       -> ok          (pins "now": two-digit years start 80 years before it)
 *   zone    setting                       -> id TAB offsetMinutes at each further epochMs field
 *   formatparse  pattern  zoneId  epochMs -> the text TAB the text parsed back (epochMs; nothing if refused)
 *   parse   pattern  zoneId  text         -> epochMs TAB parsePositionIndex TAB the instant formatted back
 *                                            (or "!" and the error index)
 *
 * Formatters are created as Open Connectors did: English locale, lenient (the default), the zone set
 * with TimeZone.getTimeZone. The JVM runs with -Duser.timezone=UTC so the default zone, which Java
 * consults when reading zone names, is fixed.
 */
public class SimpleDateFormatOracle {
	private static final Map<String, SimpleDateFormat> FORMATS = new HashMap<>();
	private static Date twoDigitYearStart = null;

	public static void main(String[] args) throws Exception {
		BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
		PrintWriter out = new PrintWriter(new java.io.OutputStreamWriter(System.out, StandardCharsets.UTF_8));
		String line;
		while ((line = in.readLine()) != null) {
			String[] fields = line.split("\t", -1);
			try {
				out.println(answer(fields));
			} catch (RuntimeException error) {
				out.println("!" + error);
			}
		}
		out.flush();
	}

	private static String answer(String[] fields) {
		switch (fields[0]) {
			case "now": {
				Calendar calendar = new GregorianCalendar(TimeZone.getTimeZone("UTC"), Locale.ENGLISH);
				calendar.setTimeInMillis(Long.parseLong(fields[1]));
				calendar.add(Calendar.YEAR, -80);
				twoDigitYearStart = calendar.getTime();
				FORMATS.clear();
				return "ok";
			}
			case "zone": {
				TimeZone zone = TimeZone.getTimeZone(fields[1]);
				StringBuilder answer = new StringBuilder(zone.getID());
				for (int index = 2; index < fields.length; index++) {
					answer.append('\t').append(zone.getOffset(Long.parseLong(fields[index])) / 60000);
				}
				return answer.toString();
			}
			case "formatparse": {
				String text = formatter(fields[1], fields[2]).format(new Date(Long.parseLong(fields[3])));
				ParsePosition position = new ParsePosition(0);
				Date parsed = parse(fields[1], fields[2], text, position);
				return parsed == null ? text : text + "\t" + parsed.getTime();
			}
			case "parse": {
				ParsePosition position = new ParsePosition(0);
				Date parsed = parse(fields[1], fields[2], fields[3], position);
				if (parsed == null) return "!" + position.getErrorIndex();
				return parsed.getTime() + "\t" + position.getIndex() + "\t" + formatter(fields[1], fields[2]).format(parsed);
			}
			default:
				throw new IllegalArgumentException("unknown request " + fields[0]);
		}
	}

	/** DateFormat#parse(String) accepts what this accepts: it only fails when nothing was read. */
	private static Date parse(String pattern, String zoneId, String text, ParsePosition position) {
		SimpleDateFormat format = formatter(pattern, zoneId);
		Date parsed = format.parse(text, position);
		// Reading a zone name switches the formatter's zone (a SimpleDateFormat quirk): undo it.
		format.setTimeZone(TimeZone.getTimeZone(zoneId));
		return parsed;
	}

	private static SimpleDateFormat formatter(String pattern, String zoneId) {
		return FORMATS.computeIfAbsent(pattern + "\t" + zoneId, key -> {
			SimpleDateFormat format = new SimpleDateFormat(pattern, Locale.ENGLISH);
			format.setTimeZone(TimeZone.getTimeZone(zoneId));
			if (twoDigitYearStart != null) format.set2DigitYearStart(twoDigitYearStart);
			return format;
		});
	}
}
