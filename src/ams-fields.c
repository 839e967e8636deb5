/* ams-fields: meter lists (from hdlc-split, cosem-decode or hex lines) to JSON Lines, CSV
 * or InfluxDB line protocol with amshan's field names and units. Options and the main loop
 * only. */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "base/io.h"
#include "base/fail.h"
#include "base/rfc3339.h"
#include "cosem/rx.h"
#include "cosem/cipher.h"
#include "cosem/keyring.h"
#include "fields/p1.h"
#include "fields/plausible.h"
#include "lists/lists.h"
#include "out/fields_writer.h"
#include "out/keyopt.h"
#include "out/msg.h"
#include "rec/record.h"

static const char usage_line[] =
    "usage: ams-fields [-AEhILnPqV] [-c ratio] [-F keys] [-f json|csv|influx] [-K 1|10]\n"
    "                  [-k keyfile] [-m measurement] [-p s|ms|us|ns] [-t received|meter]\n"
    "                  [-z zone] [file ...]\n";
static const char help_text[] =
    "Turn HAN meter lists into JSON Lines, CSV or InfluxDB line protocol with amshan's\n"
    "field names.\n"
    "  -A        refuse ciphered lists whose tag was not verified\n"
    "  -E        exit 1 if any record gave no fields\n"
    "  -c ratio  current-transformer ratio: currents, powers and energies times ratio\n"
    "  -F keys   comma-separated fields (and their order) to print\n"
    "  -f fmt    output format: json (default), csv or influx (line protocol)\n"
    "  -h        print this help and exit (also --help)\n"
    "  -I        refuse an invocation counter that does not increase\n"
    "  -k file   keys of encrypted meters (SYSTEMTITLE EK [AK] per line; also $HAN_KEYS)\n"
    "  -L        list the named keys with their units and exit\n"
    "  -K unit   Kamstrup energy registers: 1 (Wh) or 10 (10 Wh); default by meter type\n"
    "  -m name   influx: the measurement (default hantools; also --measurement)\n"
    "  -n        CSV without the header line (for appending)\n"
    "  -P        leave out records a meter cannot have sent (implausible values)\n"
    "  -p prec   influx: timestamp precision s, ms, us or ns (default; also --precision)\n"
    "  -q        do not report unrecognised records on standard error\n"
    "  -t from   influx: timestamp from received (default) or the meter clock (also --time)\n"
    "  -V        print the version and exit (also --version)\n"
    "  -z zone   meter clock zone (TZ database name, e.g. Europe/Oslo): a meter time\n"
    "            without offset is given the zone's offset (also --meter-tz zone)\n";

static struct output out;
static struct rx rx;
static struct record rec;
static struct lines lines;
static struct fields flds;
static struct fields_opt fopt;
static struct columns cols;
static const struct fields_writer *writer;
static int noheader, quiet, meter_tz, failed, strict, drop_implausible;
static struct influx_opt iopt = { NULL, 9, 0 };
static int influx_set, clock_said;	/* an influx option given; the clock fallback said */
static struct plaus plaus;
static struct lists_state lstate;	/* object lists of pushes, for the values-only ones */
static struct rec_asm ra;
static struct keyring keys;
static const char *fname;	/* file name for messages when there are several */

static void
write_failed(void)
{
	errno = out.err;
	err(1, "write error");
}

/* A record that gave no fields: say so on stderr, and count it for -E. */
static void
report(const char *token, const char *detail, long byte)
{
	failed = 1;
	if (!quiet)
		msg_record(&out, fname, rec.lineno, token, detail, byte);
}

/* "received" when the record carries no capture time: the time it was read. Formatted
 * again only when the millisecond changes. */
static const char *
now(void)
{
	static char buf[RFC3339_LEN];
	static struct timespec last;
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	if (ts.tv_sec != last.tv_sec || ts.tv_nsec / 1000000 != last.tv_nsec / 1000000 ||
	    !buf[0]) {
		last = ts;
		rfc3339_format(buf, &ts, 0);
	}
	return buf;
}

/* A meter clock without offset, in the zone of -z: add the offset the zone had then. */
static void
zone_time(void)
{
	int off;

	for (size_t i = 0; i < flds.n; i++) {
		struct field *fd = &flds.f[i];
		if (fd->key == K_DATETIME && fd->kind == F_TIME &&
		    fd->time.offset == CIVIL_NO_OFFSET && civil_zone_offset(&fd->time, &off) == 0)
			fd->time.offset = off;
	}
}

/* Whether path is a TZ database file: it starts with the magic "TZif" (RFC 8536), so
 * /etc/passwd or /dev/null is not taken for a zone. */
static int
is_tzif(const char *path)
{
	char magic[4];
	int fd = open(path, O_RDONLY | O_CLOEXEC), ok;

	if (fd < 0)
		return 0;
	ok = read(fd, magic, 4) == 4 && memcmp(magic, "TZif", 4) == 0;
	close(fd);
	return ok;
}

/* A zone name must be in the TZ database: libc would take an unknown one as UTC without a
 * word. POSIX TZ strings (with an offset, e.g. CET-1CEST,M3.5.0,M10.5.0/3) are let through. */
static int
zone_known(const char *z)
{
	const char *dir = getenv("TZDIR");
	char path[4096];
	if (*z == ':')
		z++;
	if (strpbrk(z, "0123456789,") && !strchr(z, '/'))
		return 1;
	if (strstr(z, ".."))
		return 0;
	if (*z == '/')
		snprintf(path, sizeof path, "%s", z);
	else
		snprintf(path, sizeof path, "%s/%s", dir && *dir ? dir : "/usr/share/zoneinfo", z);
	return is_tzif(path);
}

static void
p1_warn(void *ctx, enum fail why, const char *detail)
{
	(void)ctx;
	report(fail_token(why), detail, -1);
}

static void handle_fields(void);
static void list_notes(void);

static void
handle(void)
{
	struct rx_msg m;
	enum list_err le;
	char why[400];
	unsigned flags = rec.body ? RX_BODY : 0;
	const uint8_t *ap;
	size_t an;
	enum fail fw;
	long base;

	if (rec.kind == REC_P1) {
		p1_fields(&flds, rec.p1, rec.p1_len, &fopt, p1_warn, NULL);
		handle_fields();
		return;
	}
	/* a segment waits for the rest of its message */
	switch (rec_message(&ra, &rec, &ap, &an, &fw)) {
	case REASM_MORE:
		return;
	case REASM_ERROR:
		report(fail_token(fw), NULL, -1);
		if (!ap)
			return;
		break;
	case REASM_WHOLE:
		break;
	}
	base = ap == rec.apdu ? (long)(rec.apdu - rec.bytes) : -1;
	if (rx_payload(&rx, ap, an, flags, &m) != RX_MESSAGE) {
		if (m.err == RX_ERR_P1) {
			/* a deciphered DSMR telegram (Luxembourg): read as P1 */
			if (!quiet)
				keyopt_notices(&out, fname, rec.lineno, &m);
			if (rec_p1_text(&rec, m.a.p, m.a.len) < 0) {
				report(rec.err, NULL, -1);
				return;
			}
			p1_fields(&flds, rec.p1, rec.p1_len, &fopt, p1_warn, NULL);
			handle_fields();
			return;
		}
		report(rx_errname(&m), keyopt_detail(&m, why, sizeof why),
		    m.errpos < 0 || base < 0 ? -1 : base + m.errpos);
		return;
	}
	if (!quiet)
		keyopt_notices(&out, fname, rec.lineno, &m);
	if (!m.tree) {
		struct cipher_hdr h;
		size_t ep;
		char st[48];
		if ((m.a.tag == APDU_GLO_CIPHERING || m.a.tag == APDU_DED_CIPHERING) &&
		    cipher_parse(m.a.p, m.a.len, &h, &ep) == CIPHER_OK) {
			/* no key file at all */
			cipher_systitle_text(h.systitle, st);
			snprintf(why, sizeof why, "system title %s (no key file: -k or $%s)", st,
			    KEYOPT_ENV);
			report(fail_token(FAIL_NO_KEY), why, -1);
			return;
		}
		report(fail_token(FAIL_UNSUPPORTED_APDU), apdu_tagname(m.a.tag), -1);
		return;
	}
	if ((le = lists_decode(&flds, &m, &fopt, &lstate)) != LIST_OK) {
		const struct axdr_node *r = &m.tree->node[0];
		const char *hint = le == LIST_ERR_UNKNOWN ? lists_unknown_hint(m.tree) : NULL;
		snprintf(why, sizeof why, "%s of %u elements%s%s", axdr_tagname(r->tag),
		    (unsigned)r->count, hint ? ": " : "", hint ? hint : "");
		report(lists_errname(le), why, -1);
		return;
	}
	list_notes();
	handle_fields();
}

/* What a list could not say (values under no key, keys without a scale), once per layout:
 * a meter sends the same layout every few seconds. The first LAYOUTS_SAID layouts are
 * remembered; after that each is said again. The record itself gave fields, so this is
 * said but does not count for -E. */
#define LAYOUTS_SAID 32
static void
list_notes(void)
{
	static uint32_t said[LAYOUTS_SAID];
	static size_t nsaid;
	char why[400];
	size_t n = 0;

	if (!flds.unmapped && !flds.nunscaled)
		return;
	for (size_t i = 0; i < nsaid; i++)
		if (said[i] == flds.layout)
			return;
	if (nsaid < LAYOUTS_SAID)
		said[nsaid++] = flds.layout;
	if (flds.nunscaled) {
		for (size_t i = 0; i < flds.nunscaled && n < sizeof why - 40; i++)
			n += (size_t)snprintf(why + n, sizeof why - n, "%s%s", i ? " " : "",
			    key_name(flds.unscaled[i]));
		if (!quiet)
			msg_record(&out, fname, rec.lineno, fail_token(FAIL_UNKNOWN_SCALE), why, -1);
	}
	if (flds.unmapped) {
		const struct field *l = fields_get(&flds, K_LIST, NULL);
		snprintf(why, sizeof why, "%zu in a %.*s layout", flds.unmapped,
		    l ? (int)l->slen : 4, l ? l->str : "list");
		if (!quiet)
			msg_record(&out, fname, rec.lineno, fail_token(FAIL_UNMAPPED), why, -1);
	}
}

/* A record's fields, from whichever link: checked, completed and written. */
static void
handle_fields(void)
{
	char why[96];
	const char *t;

	if (flds.dropped) {
		snprintf(why, sizeof why, "%zu not kept", flds.dropped);
		report(fail_token(FAIL_TOO_MANY_VALUES), why, -1);
	}
	if (meter_tz)
		zone_time();
	{
		/* what a meter cannot report: marked (or with -P dropped), and said */
		static char reason[96];
		int key;
		enum fail pf = plaus_check(&plaus, &flds, &fopt, &key);
		if (pf != FAIL_NONE) {
			int n = snprintf(reason, sizeof reason, "%s%s%s", fail_token(pf),
			    key >= 0 ? ": " : "", key >= 0 ? key_name(key) : "");
			report(fail_token(pf), key >= 0 ? key_name(key) : NULL, -1);
			if (drop_implausible)
				return;
			fields_set_str(&flds, K_IMPLAUSIBLE, reason, (size_t)n);
		}
	}
	t = rec.time[0] ? rec.time : now();
	flds.received.str = t;
	flds.received.slen = strlen(t);
	if (iopt.meter_time && !clock_said && fields_get(&flds, K_DATETIME, NULL)) {
		/* a meter clock without an offset names no instant: said once */
		int64_t ns;
		if (fields_influx_time(&flds, 1, &ns) == 0) {
			msg_warnx(&out, "%s%sline %ld: meter_datetime without offset: timestamps "
			    "from received (-z names the meter's zone)", fname ? fname : "",
			    fname ? ": " : "", rec.lineno);
			clock_said = 1;
		}
	}
	writer->record(&out, &flds, &cols);
	out_end(&out);
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "meter-tz", required_argument, NULL, 'z' },
		{ "help", no_argument, NULL, 'h' },
		{ "measurement", required_argument, NULL, 'm' },
		{ "precision", required_argument, NULL, 'p' },
		{ "time", required_argument, NULL, 't' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct input in;
	struct recreader rr;
	const char *colspec = NULL, *bad, *keyfile = NULL;
	int c, rc = 0, r, nfiles;
	unsigned rxopts = 0;

	io_std_open();
	fopt.keep_unknown = 1;
	while ((c = getopt_long(argc, argv, "AEc:F:f:hIK:k:Lm:nPp:qt:Vz:", longopts, NULL)) != -1) {
		switch (c) {
		case 'A': rxopts |= RX_REQUIRE_AUTH; break;
		case 'E': strict = 1; break;
		case 'I': rxopts |= RX_REJECT_IC_BACK; break;
		case 'k': keyfile = optarg; break;
		case 'c':
			if (dec_parse(optarg, &fopt.ct) < 0 || fopt.ct.neg || fopt.ct.mag == 0) {
				fprintf(stderr, "ams-fields: -c: the ratio must be a decimal greater than "
				    "0 (at most 19 digits): %s\n", optarg);
				return 2;
			}
			break;
		case 'F': colspec = optarg; break;
		case 'f':
			if (!(writer = fields_writer_byname(optarg))) {
				fprintf(stderr, "ams-fields: unknown format: %s\n", optarg);
				return 2;
			}
			break;
		case 'h':
			fputs(usage_line, stdout);
			fputs(help_text, stdout);
			puts("Meter families, in the order they are asked:");
			for (int k = 0; k < list_nfamilies; k++)
				printf("  %-9s %s\n", list_family_name(list_families[k]),
				    list_family_what(list_families[k]));
			return 0;
		case 'K':
			if (strcmp(optarg, "1") == 0) {
				fopt.kamstrup_wh = 1;
			} else if (strcmp(optarg, "10") == 0) {
				fopt.kamstrup_wh = 10;
			} else {
				fprintf(stderr, "ams-fields: -K takes 1 or 10: %s\n", optarg);
				return 2;
			}
			break;
		case 'L':
			/* the key table: name, unit, Home Assistant device and state class */
			for (int k = 0; k < K_NKEYS; k++)
				printf("%s\t%s\t%s\t%s\n", keytab[k].name,
				    key_unit(k) ? key_unit(k) : "-",
				    keytab[k].device_class ? keytab[k].device_class : "-",
				    keytab[k].state_class ? keytab[k].state_class : "-");
			return 0;
		case 'm':
			if (!influx_name_ok(optarg)) {
				fprintf(stderr, "ams-fields: -m: not a measurement name InfluxDB "
				    "takes: '%s'\n", optarg);
				return 2;
			}
			iopt.measurement = optarg;
			influx_set = 1;
			break;
		case 'n': noheader = 1; break;
		case 'p':
			if (strcmp(optarg, "s") == 0)
				iopt.prec = 0;
			else if (strcmp(optarg, "ms") == 0)
				iopt.prec = 3;
			else if (strcmp(optarg, "us") == 0)
				iopt.prec = 6;
			else if (strcmp(optarg, "ns") == 0)
				iopt.prec = 9;
			else {
				fprintf(stderr, "ams-fields: -p takes s, ms, us or ns: %s\n", optarg);
				return 2;
			}
			influx_set = 1;
			break;
		case 'P': drop_implausible = 1; break;
		case 'q': quiet = 1; break;
		case 'V':
			printf("%s (hantools) %s\n", "ams-fields", HAN_VERSION);
			return 0;
		case 't':
			if (strcmp(optarg, "received") == 0) {
				iopt.meter_time = 0;
			} else if (strcmp(optarg, "meter") == 0) {
				iopt.meter_time = 1;
			} else {
				fprintf(stderr, "ams-fields: -t takes received or meter: %s\n", optarg);
				return 2;
			}
			influx_set = 1;
			break;
		case 'z':
			if (!*optarg) {
				fputs("ams-fields: empty zone\n", stderr);
				return 2;
			}
			if (!zone_known(optarg)) {
				fprintf(stderr, "ams-fields: unknown time zone: %s\n", optarg);
				return 2;
			}
			if (setenv("TZ", optarg, 1) < 0) {
				fprintf(stderr, "ams-fields: %s: %s\n", optarg, strerror(errno));
				return 1;
			}
			tzset();
			meter_tz = 1;
			fopt.p1_zone = 1;
			break;
		default:
			fputs(usage_line, stderr);
			return 2;
		}
	}
	if (!writer)
		writer = &fields_writers[0];
	if (influx_set && writer->record != fields_influx) {
		fputs("ams-fields: -m, -p and -t go with -f influx\n", stderr);
		return 2;
	}
	fields_influx_setup(&iopt);
	if (!colspec)
		colspec = writer->default_columns;
	if (colspec && columns_parse(&cols, colspec, &bad) < 0) {
		fprintf(stderr, "ams-fields: unknown field in -F: %.*s\n",
		    (int)strcspn(bad, ","), bad);
		return 2;
	}
	nfiles = argc - optind;
	out_init(&out, 1);
	out_guard(&out);
	if ((r = keyopt_load(&out, &keys, keyfile)) < 0)
		return -r;
	rx_init(&rx);
	rx_keys(&rx, r ? &keys : NULL, rxopts);
	if (writer->header && !noheader)
		writer->header(&out, &cols);
	out_end(&out);
	input_init(&in, argv + optind, nfiles, &out);
	lines_init(&lines, &in);
	while ((r = input_next(&in)) != 0) {
		fname = nfiles > 1 ? in.name : NULL;
		if (r < 0) {
			msg_warn(&out, "%s", in.name);
			rc = 1;
			continue;
		}
		lines_reset(&lines);
		rec_init(&rr, &lines);
		while ((r = rec_next(&rr, &rec)) != 0) {
			if (r < 0)
				report(rec.err, rec.detail, rec.errpos);
			else
				handle();
			if (out.err)
				write_failed();
		}
		if (errno) {
			msg_warn(&out, "%s", in.name);
			rc = 1;
		}
	}
	while (rec_pending(&ra, &rec.lineno))
		report(fail_token(FAIL_SEGMENT), "its last piece never came", -1);
	if (out_flush(&out) < 0)
		write_failed();
	return rc ? rc : strict && failed;
}
