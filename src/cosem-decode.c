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
#include "out/cosem_json.h"
#include "out/msg.h"
#include "rec/record.h"
#include "rec/tlv.h"

static const char usage_line[] = "usage: cosem-decode [-EhjqV] [file ...]\n";
static const char help_text[] =
    "Decode DLMS/COSEM APDUs from hdlc-split lines (or information-field, APDU or\n"
    "body hex lines, or TLV records) into a typed element listing.\n"
    "  -E  exit 1 if any record could not be decoded\n"
    "  -h  print this help and exit (also --help)\n"
    "  -j  print one JSON object per record instead of TLV text\n"
    "  -q  do not report undecodable records on standard error\n"
    "  -V  print the version and exit (also --version)\n";

static struct output out;
static struct rx rx;
static struct record rec;
static struct lines lines;
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

/* Flags for the receive path from what the record says of itself. */
static unsigned
rx_flags(const struct record *r)
{
	return (r->body ? RX_BODY : 0) |
	    (r->kind == REC_FRAME && r->frame.segmented ? RX_SEGMENT : 0);
}

/* 0 decoded, -1 failed (reported). */
static int
decode(const char *name)
{
	struct rx_msg m;
	long base = (long)(rec.apdu - rec.bytes);

	if (rx_payload(&rx, rec.apdu, rec.apdu_len, rx_flags(&rec), &m) != RX_MESSAGE) {
		report(name, rx_errname(&m), NULL, m.errpos < 0 ? -1 : base + m.errpos);
		return -1;
	}
	if (json)
		cosem_json(&out, rec.lineno, rec.time, m.body ? NULL : &m.a, m.tree);
	else if (m.body)
		tlv_write_body(&out, rec.time, m.tree);
	else
		tlv_write(&out, rec.time, &m.a, m.tree);
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

	io_std_open();
	while ((c = getopt_long(argc, argv, "EhjqV", longopts, NULL)) != -1) {
		switch (c) {
		case 'E': strict = 1; break;
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
	if (out_flush(&out) < 0)
		write_failed();
	return rc ? rc : strict && bad;
}
