/* han-sim: a meter on your desk. Writes the raw HAN port bytes of simulated Aidon, Kaifa
 * and Kamstrup meters, as fast as possible or paced like the real line, optionally with
 * damage, and beside them the fields a correct decoder must find.
 * Options and the main loop only; the meters are in src/sim/. Over 400 lines because the
 * main loop's own jobs stay here: twelve options, the real-time pacing at the line's
 * baud rate, the damage draw and the truth and -w side files. */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "link/hdlc.h"
#include "link/framer.h"
#include "base/civil.h"
#include "base/dec.h"
#include "base/io.h"
#include "cosem/cipher.h"
#include "cosem/keyring.h"
#include "out/json.h"
#include "out/keyopt.h"
#include "sim/sim.h"

static const char usage_line[] =
    "usage: han-sim [-hrV] [-d kind:rate] [-g file] [-k keyfile] [-L link] [-l lists]\n"
    "               [-m meters] [-n count] [-s seed] [-T time] [-t seconds] [-w file]\n"
    "               [-x factor]\n";
static const char help_text[] =
    "Write the raw HAN port byte stream of simulated smart meters to standard output.\n"
    "  -d kind:rate  damage: flip, insert, drop, crlf, trunc (that share of the\n"
    "                frames), junk (that share of the gaps between frames), any (the\n"
    "                frame kinds in equal parts), lose, repeat (with -L: one piece of\n"
    "                a list left out or sent twice), reorder (with -L gbt or mbus: two\n"
    "                pieces swapped); rate 0..1 or a percentage (10%); may be repeated\n"
    "  -g file       write the expected fields of each frame there, as JSON Lines\n"
    "  -h            print this help and exit (also --help)\n"
    "  -k keyfile    encrypted meters: every frame general-glo-ciphered with its\n"
    "                meter's key from keyfile (SYSTEMTITLE EK [AK] lines, or * EK [AK])\n"
    "  -L link       hdlc (whole frames, the default), seg (HDLC segments of 64\n"
    "                bytes), gbt (General Block Transfer blocks of 96 bytes, a frame\n"
    "                each), mbus (wired M-Bus segments of 200 bytes) or db (each\n"
    "                ciphered APDU bare, no link layer; needs -k)\n"
    "  -l lists      only these list classes, comma-separated: 1 the fast list,\n"
    "                2 the ten-second list, 3 the hourly list\n"
    "  -m meters     comma-separated models (default aidon); mix = the Norwegian\n"
    "                ones, se = the Swedish ones, all = every HDLC model but\n"
    "                kamstrup-ct and lg-e450-v, p1 = the P1 ones (dsmr5, p1-se)\n"
    "  -n count      stop after that many frames\n"
    "  -r            real time: each maker's cadence, bytes paced at 2400 baud\n"
    "  -s seed       seed of the simulation (default 1)\n"
    "  -T time       meter clock at the start, YYYY-MM-DDTHH:MM:SS (default\n"
    "                2025-01-15T11:59:00; with -r or -x the local time now)\n"
    "  -t seconds    stop after that much meter time\n"
    "  -V            print the version and exit (also --version)\n"
    "  -w file       write each frame there as hdlc-split prints it; damaged ones\n"
    "                as '# damaged KIND HEX' (HEX as it was before the damage)\n"
    "  -x factor     real time sped up by factor (implies -r)\n"
    "Meters:\n";

#define MAX_METERS 32
#define FRAME_CAP (HDLC_MAX_FRAME + 64)
#define BUF_CAP (4 * FRAME_CAP)		/* a list in pieces, one of them twice */
#define MAX_PIECES 64

static struct output out, gout, wout;
static struct sim_meter meters[MAX_METERS];
static int nmeters;
static struct keyring keys;
static const struct keyent *mkey[MAX_METERS];	/* -k: each meter's key */
static uint8_t mtitle[MAX_METERS][8];
static uint32_t mic[MAX_METERS];		/* the invocation counter it sends next */

static struct {
	int realtime, gt, wf;
	double speed;
	double rate[SIM_ND], junk, lose, repeat, reorder;
	enum sim_link link;
	unsigned lists;
	uint64_t seed, count;
	int64_t duration_ms;
} opt = { .speed = 1.0, .lists = 7, .seed = 1, .duration_ms = -1 };

static void
usage(void)
{
	fputs(usage_line, stderr);
	exit(2);
}

static void
fail(const char *what, int err)
{
	out_flush_records(&out);
	errno = err;
	warn("%s", what);
	exit(1);
}

/* Whether damaged telegram bytes still make the whole of an intact telegram (a flipped
 * bit that only changed the case of a check digit), as the P1 framer takes them. */
static void
whole(const struct link_report *r, void *ctx)
{
	size_t *n = ctx;

	if (r->ev == LINK_UNIT && r->offset == 0 && r->len == *n)
		*n = 0;
}

static int
still_checks(const uint8_t *p, size_t n)
{
	static struct link lk;
	size_t left = n;

	link_init(&lk, framer_byname("p1", 2), 0);
	link_feed(&lk, p, n, whole, &left);
	link_finish(&lk, whole, &left);
	return n && left == 0;
}

static int
add_model(const char *s, size_t n)
{
	static const char *const mix[] = { "aidon", "aidon-1p", "aidon-it", "kaifa", "kaifa-1p",
		"kaifa-it", "kamstrup", "kamstrup-1p" };
	int k;

	if (n == 3 && memcmp(s, "mix", 3) == 0) {
		for (size_t i = 0; i < sizeof mix / sizeof mix[0]; i++)
			if (add_model(mix[i], strlen(mix[i])) < 0)
				return -1;
		return 0;
	}
	if ((n == 2 && memcmp(s, "se", 2) == 0) || (n == 3 && memcmp(s, "all", 3) == 0) ||
	    (n == 2 && memcmp(s, "p1", 2) == 0)) {
		/* all and se are the HDLC meters, p1 the P1 ones; none of them a meter whose
		 * values ams-fields gives only when told its unit (kamstrup-ct, -K) or only
		 * after an earlier frame (lg-e450-v: its object list): named alone, each has
		 * a stream of its own */
		for (int i = 0; i < sim_nmodels; i++)
			if ((strcmp(sim_models[i].family, "p1") == 0) == (s[0] == 'p') &&
			    sim_models[i].pf_list != 2 && !sim_models[i].desc_every &&
			    (n == 3 || s[0] == 'p' || sim_models[i].sweden) &&
			    add_model(sim_models[i].name, strlen(sim_models[i].name)) < 0)
				return -1;
		return 0;
	}
	if ((k = sim_model_byname(s, n)) < 0) {
		fprintf(stderr, "han-sim: unknown meter '%.*s'\n", (int)n, s);
		return -1;
	}
	if (nmeters == MAX_METERS) {
		fprintf(stderr, "han-sim: at most %d meters\n", MAX_METERS);
		return -1;
	}
	meters[nmeters++].m = &sim_models[k];
	return 0;
}

static double
parse_rate(const char *s)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (end == s || errno)
		return -1;
	if (*end == '%') {
		v /= 100;
		end++;
	}
	if (*end || v < 0 || v > 1)
		return -1;
	return v;
}

static int
parse_damage(const char *arg)
{
	const char *colon = strchr(arg, ':');
	size_t n;
	double r;

	if (!colon || (r = parse_rate(colon + 1)) < 0) {
		fprintf(stderr, "han-sim: -d: kind:rate with a rate from 0 to 1 or 0%% to 100%%: "
		    "%s\n", arg);
		return -1;
	}
	n = (size_t)(colon - arg);
	if (n == 4 && memcmp(arg, "junk", 4) == 0) {
		opt.junk = r;
		return 0;
	}
	if (n == 4 && memcmp(arg, "lose", 4) == 0) {
		opt.lose = r;
		return 0;
	}
	if (n == 6 && memcmp(arg, "repeat", 6) == 0) {
		opt.repeat = r;
		return 0;
	}
	if (n == 7 && memcmp(arg, "reorder", 7) == 0) {
		opt.reorder = r;
		return 0;
	}
	if (n == 3 && memcmp(arg, "any", 3) == 0) {
		for (int k = 0; k < SIM_ND; k++)
			opt.rate[k] += r / SIM_ND;
		return 0;
	}
	for (int k = 0; k < SIM_ND; k++) {
		if (strlen(sim_damage_names[k]) == n && memcmp(arg, sim_damage_names[k], n) == 0) {
			opt.rate[k] += r;
			return 0;
		}
	}
	fprintf(stderr, "han-sim: unknown damage '%.*s'\n", (int)n, arg);
	return -1;
}

static int
parse_lists(const char *s)
{
	unsigned m = 0;

	for (; *s; s++) {
		if (*s >= '1' && *s <= '3')
			m |= 1u << (*s - '1');
		else if (*s != ',')
			return -1;
	}
	if (!m)
		return -1;
	opt.lists = m;
	return 0;
}

static int
parse_time(const char *s, int64_t *ms)
{
	int y, mo, d, h, mi, sec, n = 0;

	if (sscanf(s, "%4d-%2d-%2d%*[T ]%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &sec, &n) != 6 ||
	    s[n] || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 59 ||
	    y < 1971 || y > 9999 || h < 0 || mi < 0 || sec < 0)
		return -1;
	*ms = civil_ms(y, mo, d, h, mi, sec);
	return 0;
}

static int
parse_u64(const char *s, uint64_t *v)
{
	char *end;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	*v = strtoull(s, &end, 10);
	return (*end || errno) ? -1 : 0;
}

/* ---- output of the expected fields ---- */

static void
put_fields(struct output *o, const struct sim_fields *gt, const char *damage)
{
	out_char(o, '{');
	if (damage) {
		out_str(o, "\"damaged\":");
		json_str(o, damage, strlen(damage));
	}
	for (int i = 0; i < gt->n; i++) {
		const struct sim_field *f = &gt->f[i];
		if (i || damage)
			out_char(o, ',');
		json_str(o, f->key, strlen(f->key));
		out_char(o, ':');
		if (f->is_str)
			json_str(o, f->s, strlen(f->s));
		else
		{
			char b[DEC_TEXT_MAX];
			struct dec d = dec_make(f->v, f->exp10);
			out_write(o, b, dec_format(&d, b));
		}
	}
	out_str(o, "}\n");
}

static void
put_hexline(struct output *o, const char *prefix, const uint8_t *p, size_t n)
{
	if (prefix)
		out_str(o, prefix);
	out_hexline(o, p, n);
}

/* ---- real time ---- */

static struct timespec t0;	/* monotonic time of the start */
static int64_t line_free_ns;	/* when the line has sent what was written so far */

static void
sleep_until(int64_t ns)
{
	struct timespec ts;
	int64_t abs_ns = (int64_t)t0.tv_sec * 1000000000 + t0.tv_nsec + ns;

	ts.tv_sec = (time_t)(abs_ns / 1000000000);
	ts.tv_nsec = (long)(abs_ns % 1000000000);
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
		;
}

/* Send n bytes starting at meter time at_ms, at 2400 baud with bits per byte, in slices
 * of about 20 ms of line time so a reader sees them trickle in as from the meter. */
static void
send_paced(const uint8_t *p, size_t n, int64_t at_ms, int64_t start_ms, int bits)
{
	double byte_ns = (double)bits / 2400.0 * 1e9 / opt.speed;
	int64_t begin = (int64_t)((double)(at_ms - start_ms) * 1e6 / opt.speed);
	size_t slice = (size_t)(2400 / bits / 50) + 1;

	if (begin < line_free_ns)
		begin = line_free_ns;
	for (size_t i = 0; i < n; i += slice) {
		size_t k = n - i < slice ? n - i : slice;
		sleep_until(begin + (int64_t)((double)i * byte_ns));
		out_write(&out, p + i, k);
		if (out_flush(&out) < 0)
			fail("write error", out.err);
	}
	line_free_ns = begin + (int64_t)((double)n * byte_ns);
}

static int
open_out(struct output *o, const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0666);

	if (fd < 0)
		fail(path, errno);
	out_init(o, fd);
	return 1;
}

int
main(int argc, char *argv[])
{
	static uint8_t frame[BUF_CAP], intact[BUF_CAP], pieces[BUF_CAP], junk[64];
	size_t starts[MAX_PIECES + 1];
	struct sim_rng drng;
	struct sim_fields gt;
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	int64_t start_ms = 0, end_ms;
	int c, have_start = 0;
	double total = 0;
	const char *gpath = NULL, *wpath = NULL, *kpath = NULL;

	io_std_open();
	while ((c = getopt_long(argc, argv, "d:g:hk:L:l:m:n:rs:T:t:Vw:x:", longopts, NULL)) != -1) {
		switch (c) {
		case 'd':
			if (parse_damage(optarg) < 0)
				usage();
			break;
		case 'g': gpath = optarg; break;
		case 'k': kpath = optarg; break;
		case 'h':
			fputs(usage_line, stdout);
			fputs(help_text, stdout);
			for (int i = 0; i < sim_nmodels; i++)
				printf("  %-12s %s (family %s)\n", sim_models[i].name, sim_models[i].what,
				    sim_models[i].family);
			return 0;
		case 'L': {
			int k;
			for (k = 0; k < SIM_NLINK && strcmp(optarg, sim_link_names[k]); k++)
				;
			if (k == SIM_NLINK) {
				fprintf(stderr, "han-sim: -L takes hdlc, seg, gbt, mbus or db\n");
				usage();
			}
			opt.link = (enum sim_link)k;
			break;
		}
		case 'l':
			if (parse_lists(optarg) < 0) {
				fprintf(stderr, "han-sim: -l wants list classes 1, 2, 3\n");
				usage();
			}
			break;
		case 'm': {
			const char *s = optarg;
			for (;;) {
				size_t n = strcspn(s, ",");
				if (n && add_model(s, n) < 0)
					usage();
				if (!s[n])
					break;
				s += n + 1;
			}
			break;
		}
		case 'n':
			if (parse_u64(optarg, &opt.count) < 0 || !opt.count) {
				fprintf(stderr, "han-sim: -n: the count must be a whole number from 1 to "
				    "%llu: %s\n", (unsigned long long)UINT64_MAX, optarg);
				usage();
			}
			break;
		case 'r': opt.realtime = 1; break;
		case 's':
			if (parse_u64(optarg, &opt.seed) < 0) {
				fprintf(stderr, "han-sim: -s: the seed must be a whole number from 0 to "
				    "%llu: %s\n", (unsigned long long)UINT64_MAX, optarg);
				usage();
			}
			break;
		case 'T':
			if (parse_time(optarg, &start_ms) < 0) {
				fprintf(stderr, "han-sim: -T wants YYYY-MM-DDTHH:MM:SS\n");
				usage();
			}
			have_start = 1;
			break;
		case 't': {
			uint64_t s;
			if (parse_u64(optarg, &s) < 0 || s > 100000000) {
				fprintf(stderr, "han-sim: -t: the time must be a whole number of seconds "
				    "from 0 to 100000000: %s\n", optarg);
				usage();
			}
			opt.duration_ms = (int64_t)s * 1000;
			break;
		}
		case 'V':
			printf("%s (hantools) %s\n", "han-sim", HAN_VERSION);
			return 0;
		case 'w': wpath = optarg; break;
		case 'x': {
			char *end;
			opt.speed = strtod(optarg, &end);
			if (end == optarg || *end || !(opt.speed >= 0.01 && opt.speed <= 1e6)) {
				fprintf(stderr, "han-sim: -x: the factor must be a number from 0.01 to "
				    "1000000: %s\n", optarg);
				usage();
			}
			opt.realtime = 1;
			break;
		}
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();
	for (int k = 0; k < SIM_ND; k++)
		total += opt.rate[k];
	if (total > 1 + 1e-9) {
		fprintf(stderr, "han-sim: the damage rates add up to more than 1\n");
		usage();
	}
	if (!nmeters)
		add_model("aidon", 5);
	if (!have_start) {
		if (opt.realtime) {
			time_t now = time(NULL);
			struct tm tm;
			localtime_r(&now, &tm);
			start_ms = civil_ms(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
			    tm.tm_hour, tm.tm_min, tm.tm_sec);
		} else {
			start_ms = civil_ms(2025, 1, 15, 11, 59, 0);
		}
	}
	/* meters that send none of the chosen lists are left out */
	{
		int k = 0;
		for (int i = 0; i < nmeters; i++) {
			const struct sim_model *m = meters[i].m;
			if (m->lists & (int)opt.lists)
				sim_meter_init(&meters[k++], m, opt.seed, i, start_ms);
		}
		if (!k) {
			fprintf(stderr, "han-sim: none of the meters sends the lists asked for\n");
			return 2;
		}
		nmeters = k;
	}
	end_ms = opt.duration_ms >= 0 ? start_ms + opt.duration_ms : INT64_MAX;
	sim_rng_seed(&drng, opt.seed, 0xda11a9e);

	out_init(&out, 1);
	out_guard(&out);
	if (opt.reorder > 0 && opt.link != SIM_L_GBT && opt.link != SIM_L_MBUS) {
		/* HDLC segments carry no number: two swapped cannot be told from a message */
		fprintf(stderr, "han-sim: -d reorder needs -L gbt or mbus, whose pieces are "
		    "numbered\n");
		usage();
	}
	if (opt.link == SIM_L_DB && !kpath) {
		fprintf(stderr, "han-sim: -L db needs -k: only a ciphered APDU is sent bare\n");
		usage();
	}
	if (kpath) {
		int r = keyopt_load(&out, &keys, kpath);
		if (r < 0)
			return -r;
		for (int i = 0; i < nmeters; i++) {
			char st[48];
			sim_systitle(&meters[i], mtitle[i]);
			if (!(mkey[i] = keyring_find(&keys, mtitle[i]))) {
				cipher_systitle_text(mtitle[i], st);
				fprintf(stderr, "han-sim: %s: no key for meter %d's system title %s\n",
				    kpath, i + 1, st);
				return 1;
			}
			/* counters start somewhere of the seed's choosing, as a meter's would */
			mic[i] = (uint32_t)(opt.seed * 2654435761u + (uint64_t)i * 40503u) & 0xffffff;
		}
	}
	if (gpath) {
		opt.gt = open_out(&gout, gpath);
		out_guard(&gout);
	}
	if (wpath) {
		opt.wf = open_out(&wout, wpath);
		out_guard(&wout);
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);

	for (uint64_t sent = 0; !opt.count || sent < opt.count; sent++) {
		struct sim_meter *mt = &meters[0];
		struct enc e;
		size_t len, jn = 0;
		int64_t at;
		int kind = -1, p1, np;
		const char *pdmg;

		for (int i = 1; i < nmeters; i++)
			if (meters[i].next_ms < mt->next_ms)
				mt = &meters[i];
		enc_init(&e, frame, FRAME_CAP);
		sim_meter_step(mt, opt.lists, &e, &gt, &at);
		if (at >= end_ms)
			break;
		if (e.err) {
			fprintf(stderr, "han-sim: internal error: a %s list does not fit a frame\n",
			    mt->m->name);
			return 1;
		}
		len = e.len;
		p1 = strcmp(mt->m->family, "p1") == 0;
		if (kpath && !p1) {	/* P1 meters send clear telegrams */
			int i = (int)(mt - meters);
			if (sim_seal(frame, &len, FRAME_CAP, mkey[i], mtitle[i], mic[i]++) < 0) {
				fprintf(stderr, "han-sim: internal error: a ciphered %s list does not "
				    "fit a frame\n", mt->m->name);
				return 1;
			}
			e.len = len;
		}
		np = 0;
		pdmg = NULL;
		if (opt.link != SIM_L_HDLC && !p1) {
			size_t plen;
			np = sim_pieces(opt.link, frame, len, pieces, BUF_CAP, &plen, starts,
			    MAX_PIECES);
			if (np < 0) {
				fprintf(stderr, "han-sim: internal error: a %s list does not fit its "
				    "pieces\n", mt->m->name);
				return 1;
			}
			memcpy(frame, pieces, plen);
			e.len = len = plen;
		}
		/* the damage draws come from their own generator, so the frames and their values
		 * are the same with and without damage */
		if (np >= 2 && opt.lose > 0 && sim_chance(&drng, opt.lose)) {
			/* a piece left out: the message is lost, and only it */
			int j = (int)sim_below(&drng, (uint32_t)np);
			size_t sz = starts[j + 1] - starts[j];
			memmove(frame + starts[j], frame + starts[j + 1], len - starts[j + 1]);
			len -= sz;
			for (int i = j; i < np; i++)
				starts[i] = starts[i + 1] - sz;
			np--;
			pdmg = "lose";
		} else if (np >= 2 && opt.repeat > 0 && sim_chance(&drng, opt.repeat)) {
			/* a piece sent twice: a GBT block again is dropped and the APDU goes on; a
			 * first segment again starts the message over, a last one again is a piece
			 * of none; a middle segment again breaks its message */
			int j = (int)sim_below(&drng, (uint32_t)np);
			size_t sz = starts[j + 1] - starts[j];
			memmove(frame + starts[j + 1] + sz, frame + starts[j + 1], len - starts[j + 1]);
			memcpy(frame + starts[j + 1], frame + starts[j], sz);
			len += sz;
			for (int i = np + 1; i > j + 1; i--)
				starts[i] = starts[i - 1] + sz;
			np++;
			if (!(opt.link == SIM_L_GBT || j == 0 || j == np - 2))
				pdmg = "repeat";
		} else if (np >= 2 && opt.reorder > 0 && sim_chance(&drng, opt.reorder)) {
			/* two pieces next to each other swapped: a block or segment out of its
			 * number's order loses its message, and only it */
			int j = (int)sim_below(&drng, (uint32_t)(np - 1));
			size_t a = starts[j + 1] - starts[j], b = starts[j + 2] - starts[j + 1];
			memcpy(intact, frame + starts[j], a);
			memmove(frame + starts[j], frame + starts[j + 1], b);
			memcpy(frame + starts[j] + b, intact, a);
			starts[j + 1] = starts[j] + b;
			pdmg = "reorder";
		}
		if (opt.junk > 0 && sim_chance(&drng, opt.junk))
			jn = sim_junk(junk, sizeof junk, &drng);
		if (total > 0) {
			double u = (double)(sim_rand(&drng) >> 11) * (1.0 / 9007199254740992.0);
			for (int k = 0; k < SIM_ND; k++) {
				if (u < opt.rate[k]) {
					kind = k;
					break;
				}
				u -= opt.rate[k];
			}
		}
		if (kind >= 0 && p1) {
			/* a telegram: the damage falls on "/" through the check digits (the CR LF
			 * after them are not the telegram's); one that still checks is intact */
			memcpy(intact, frame, len);
			len -= 2;
			if (sim_damage(frame, &len, FRAME_CAP - 2, (enum sim_damage)kind, &drng) < 0) {
				kind = SIM_D_FLIP;
				len = e.len - 2;
				memcpy(frame, intact, len);
				(void)sim_damage(frame, &len, FRAME_CAP - 2, SIM_D_FLIP, &drng);
			}
			if (still_checks(frame, len))
				kind = -1;
			memcpy(frame + len, "\r\n", 2);
			len += 2;
		} else if (kind >= 0) {
			size_t was = len;
			memcpy(intact, frame, len);
			if (sim_damage(frame, &len, BUF_CAP, (enum sim_damage)kind, &drng) < 0) {
				/* no LF to turn into CR LF: flip bits instead */
				kind = SIM_D_FLIP;
				len = was;
				memcpy(frame, intact, len);
				if (sim_damage(frame, &len, BUF_CAP, SIM_D_FLIP, &drng) < 0)
					kind = -1;
			}
		}
		if (opt.realtime) {
			if (jn)
				send_paced(junk, jn, at, start_ms, mt->m->bits);
			send_paced(frame, len, at, start_ms, mt->m->bits);
		} else {
			if (jn)
				out_write(&out, junk, jn);
			out_write(&out, frame, len);
			out_end(&out);
		}
		if (opt.gt)
			put_fields(&gout, &gt, kind >= 0 ? sim_damage_names[kind] : pdmg);
		if (opt.gt)
			out_end(&gout);
		if (opt.wf) {
			if (np && (kind >= 0 || pdmg)) {
				out_str(&wout, "# damaged ");
				out_str(&wout, kind >= 0 ? sim_damage_names[kind] : pdmg);
				out_char(&wout, '\n');
			} else if (np) {
				/* the pieces as sent, a line each, as the framer writes them */
				for (int i = 0; i < np; i++) {
					put_hexline(&wout, NULL, frame + starts[i], starts[i + 1] - starts[i]);
					if (i + 1 < np)
						out_end(&wout);
				}
			} else if (kind >= 0) {
				out_str(&wout, "# damaged ");
				out_str(&wout, sim_damage_names[kind]);
				put_hexline(&wout, " ", intact, e.len);
			} else if (strcmp(mt->m->family, "p1") == 0) {
				/* as han-split writes a telegram: its lines, CRs left out */
				for (size_t i = 0; i + 2 < len; i++)
					if (frame[i] != '\r' || frame[i + 1] != '\n')
						out_char(&wout, (char)frame[i]);
				out_char(&wout, '\n');
			} else {
				put_hexline(&wout, NULL, frame, len);
			}
			out_end(&wout);
		}
		if (opt.realtime) {
			/* a live run's side files keep up with the stream */
			if (opt.gt)
				out_flush(&gout);
			if (opt.wf)
				out_flush(&wout);
		}
		if (out.err)
			fail("write error", out.err);
		if (gout.err)
			fail(gpath, gout.err);
		if (wout.err)
			fail(wpath, wout.err);
	}
	if (out_flush(&out) < 0)
		fail("write error", out.err);
	if (opt.gt && (out_flush(&gout) < 0 || close(gout.fd) < 0))
		fail(gpath, gout.err ? gout.err : errno);
	if (opt.wf && (out_flush(&wout) < 0 || close(wout.fd) < 0))
		fail(wpath, wout.err ? wout.err : errno);
	return 0;
}
