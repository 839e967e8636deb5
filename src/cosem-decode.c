/* cosem-decode: HDLC frames (or information fields, APDUs, bodies) in, every DLMS/COSEM
 * element out, as TLV text or JSON. Options and the main loop only. */
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "base/io.h"
#include "cosem/rx.h"
#include "cosem/keyring.h"
#include "out/cosem_json.h"
#include "out/json.h"
#include "out/keyopt.h"
#include "out/msg.h"
#include "rec/record.h"
#include "rec/tlv.h"

static const char usage_line[] = "usage: cosem-decode [-AEhIjqV] [-k keyfile] [file ...]\n";
static const char help_text[] =
    "Decode DLMS/COSEM APDUs from hdlc-split lines (or information-field, APDU or\n"
    "body hex lines, or TLV records) into a typed element listing.\n"
    "  -A          refuse ciphered APDUs whose tag was not verified\n"
    "  -E          exit 1 if any record could not be decoded\n"
    "  -h          print this help and exit (also --help)\n"
    "  -I          refuse an invocation counter that does not increase\n"
    "  -j          print one JSON object per record instead of TLV text\n"
    "  -k keyfile  keys of encrypted meters (SYSTEMTITLE EK [AK] per line; also $HAN_KEYS)\n"
    "  -q          do not report undecodable records on standard error\n"
    "  -V          print the version and exit (also --version)\n";

static struct output out;
static struct rx rx;
static struct record rec;
static struct lines lines;
static struct keyring keys;
static int json, quiet;

static void
write_failed(void)
{
	errno = out.err;
	err(1, "write error");
}

/* A record that cannot be decoded: say where on stderr (and in -j output). byte is an
 * offset into the record's bytes, -1 when none applies. */
static void
report(const char *name, const char *token, const char *detail, long byte)
{
	if (!quiet)
		msg_record(&out, name, rec.lineno, token, detail, byte);
	if (json)
		cosem_json_error(&out, rec.lineno, rec.time, token, detail, byte);
}

static struct rec_asm ra;

/* Flags for the receive path from what the record says of itself. */
static unsigned
rx_flags(const struct record *r)
{
	return r->body ? RX_BODY : 0;
}

/* P1 is text, not COSEM: a telegram passes through as it came (checked), so the next stage
 * still gets it; a deciphered one passes in the clear, so that stage needs no key. */
static void
put_p1(void)
{
	if (json) {
		out_str(&out, "{\"line\":");
		out_u64(&out, (uint64_t)rec.lineno);
		if (rec.time[0]) {
			out_str(&out, ",\"time\":");
			json_str(&out, rec.time, strlen(rec.time));
		}
		out_str(&out, ",\"link\":\"p1\",\"text\":");
		json_str(&out, rec.p1, rec.p1_len);
		out_str(&out, "}\n");
	} else {
		if (rec.time[0]) {
			out_str(&out, rec.time);
			out_char(&out, ' ');
		}
		out_write(&out, rec.p1, rec.p1_len);
		out_char(&out, '\n');
	}
}

/* 0 decoded, -1 failed (reported). */
static int
decode(const char *name)
{
	struct rx_msg m;
	long base;
	const uint8_t *ap;
	size_t an;
	enum fail fw;
	char why[160];

	if (rec.kind == REC_P1) {
		put_p1();
		return 0;
	}
	/* a segment waits for the rest of its message */
	switch (rec_message(&ra, &rec, &ap, &an, &fw)) {
	case REASM_MORE:
		return 0;
	case REASM_ERROR:
		report(name, fail_token(fw), NULL, -1);
		if (!ap)
			return -1;
		break;
	case REASM_WHOLE:
		break;
	}
	base = ap == rec.apdu ? (long)(rec.apdu - rec.bytes) : -1;
	if (rx_payload(&rx, ap, an, rx_flags(&rec), &m) != RX_MESSAGE) {
		if (m.err == RX_ERR_P1) {
			/* a deciphered DSMR telegram (Luxembourg) */
			if (!quiet)
				keyopt_notices(&out, name, rec.lineno, &m);
			if (rec_p1_text(&rec, m.a.p, m.a.len) < 0) {
				report(name, rec.err, NULL, -1);
				return -1;
			}
			put_p1();
			return 0;
		}
		report(name, rx_errname(&m), keyopt_detail(&m, why, sizeof why),
		    m.errpos < 0 || base < 0 ? -1 : base + m.errpos);
		return -1;
	}
	/* a TLV block that came ciphered keeps its security header */
	if (rec.sec.ciphered && !m.sec.ciphered && !m.body)
		m.sec = rec.sec;
	else if (!quiet)
		keyopt_notices(&out, name, rec.lineno, &m);
	/* how it was assembled: from the link's pieces, or as a TLV block read back says */
	m.pieces = ra.pieces > 1 ? ra.pieces : rec.pieces;
	m.blocks = ra.blocks ? ra.blocks : rec.blocks;
	if (json)
		cosem_json_msg(&out, rec.lineno, rec.time, &m);
	else
		tlv_write_msg(&out, rec.time, &m);
	return 0;
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct input in;
	struct recreader rr;
	int c, rc = 0, r, nfiles, strict = 0, bad = 0;
	unsigned rxopts = 0;
	const char *keyfile = NULL;

	io_std_open();
	while ((c = getopt_long(argc, argv, "AEhIjk:qV", longopts, NULL)) != -1) {
		switch (c) {
		case 'A': rxopts |= RX_REQUIRE_AUTH; break;
		case 'E': strict = 1; break;
		case 'I': rxopts |= RX_REJECT_IC_BACK; break;
		case 'k': keyfile = optarg; break;
		case 'h':
			fputs(usage_line, stdout);
			fputs(help_text, stdout);
			return 0;
		case 'j': json = 1; break;
		case 'q': quiet = 1; break;
		case 'V':
			printf("%s (hantools) %s\n", "cosem-decode", HAN_VERSION);
			return 0;
		default:
			fputs(usage_line, stderr);
			return 2;
		}
	}
	nfiles = argc - optind;
	out_init(&out, 1);
	out_guard(&out);
	if ((r = keyopt_load(&out, &keys, keyfile)) < 0)
		return -r;
	rx_init(&rx);
	rx_keys(&rx, r ? &keys : NULL, rxopts);
	input_init(&in, argv + optind, nfiles, &out);
	lines_init(&lines, &in);
	while ((r = input_next(&in)) != 0) {
		/* name files in messages only when there are several */
		const char *name = nfiles > 1 ? in.name : NULL;
		if (r < 0) {
			msg_warn(&out, "%s", in.name);
			rc = 1;
			continue;
		}
		lines_reset(&lines);
		rec_init(&rr, &lines);
		while ((r = rec_next(&rr, &rec)) != 0) {
			if (r < 0) {
				report(name, rec.err, rec.detail, rec.errpos);
				bad = 1;
			} else if (decode(name) < 0) {
				bad = 1;
			}
			out_end(&out);
			if (out.err)
				write_failed();
		}
		if (errno) {
			msg_warn(&out, "%s", in.name);
			rc = 1;
		}
	}
	while (rec_pending(&ra, &rec.lineno)) {
		report(NULL, fail_token(FAIL_SEGMENT), "its last piece never came", -1);
		out_end(&out);
		bad = 1;
	}
	if (out_flush(&out) < 0)
		write_failed();
	return rc ? rc : strict && bad;
}
