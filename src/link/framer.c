/* The framer table; see framer.h. */
#include <string.h>
#include "link/framer.h"

static void
hdlc_row_init(struct link *lk, unsigned flags)
{
	hdlc_init(&lk->st.hdlc, (flags & LINK_STUFFED) != 0);
}

static uint8_t *
hdlc_row_space(struct link *lk, size_t *room)
{
	return hdlc_space(&lk->st.hdlc, room);
}

static void
hdlc_row_commit(struct link *lk, size_t n, link_cb *cb, void *ctx)
{
	hdlc_commit(&lk->st.hdlc, n, cb, ctx);
}

static void
hdlc_row_finish(struct link *lk, link_cb *cb, void *ctx)
{
	hdlc_finish(&lk->st.hdlc, cb, ctx);
}

static void
p1_row_init(struct link *lk, unsigned flags)
{
	(void)flags;
	p1_init(&lk->st.p1);
}

static uint8_t *
p1_row_space(struct link *lk, size_t *room)
{
	return p1_space(&lk->st.p1, room);
}

static void
p1_row_commit(struct link *lk, size_t n, link_cb *cb, void *ctx)
{
	p1_commit(&lk->st.p1, n, cb, ctx);
}

static void
p1_row_finish(struct link *lk, link_cb *cb, void *ctx)
{
	p1_finish(&lk->st.p1, cb, ctx);
}

static void
mbus_row_init(struct link *lk, unsigned flags)
{
	(void)flags;
	mbus_init(&lk->st.mbus);
}

static uint8_t *
mbus_row_space(struct link *lk, size_t *room)
{
	return mbus_space(&lk->st.mbus, room);
}

static void
mbus_row_commit(struct link *lk, size_t n, link_cb *cb, void *ctx)
{
	mbus_commit(&lk->st.mbus, n, cb, ctx);
}

static void
mbus_row_finish(struct link *lk, link_cb *cb, void *ctx)
{
	mbus_finish(&lk->st.mbus, cb, ctx);
}

static uint64_t
hdlc_row_settled(const struct link *lk)
{
	return hdlc_settled(&lk->st.hdlc);
}

static uint64_t
p1_row_settled(const struct link *lk)
{
	return p1_settled(&lk->st.p1);
}

static uint64_t
mbus_row_settled(const struct link *lk)
{
	return mbus_settled(&lk->st.mbus);
}

static void
db_row_init(struct link *lk, unsigned flags)
{
	(void)flags;
	dbenv_init(&lk->st.db);
}

static uint8_t *
db_row_space(struct link *lk, size_t *room)
{
	return dbenv_space(&lk->st.db, room);
}

static void
db_row_commit(struct link *lk, size_t n, link_cb *cb, void *ctx)
{
	dbenv_commit(&lk->st.db, n, cb, ctx);
}

static void
db_row_finish(struct link *lk, link_cb *cb, void *ctx)
{
	dbenv_finish(&lk->st.db, cb, ctx);
}

static uint64_t
db_row_settled(const struct link *lk)
{
	return dbenv_settled(&lk->st.db);
}

const struct framer framers[] = {
	{ "hdlc", "HDLC frame format type 3 (IEC 62056-46), as DLMS HAN ports send it",
	  LINK_HDLC, hdlc_row_init, hdlc_row_space, hdlc_row_commit, hdlc_row_finish,
	  hdlc_errname, HDLC_NERR, hdlc_row_settled, 1 },
	{ "p1", "P1 telegrams: DSMR and IEC 62056-21 mode D readouts (/ident ... !CRC)",
	  LINK_P1, p1_row_init, p1_row_space, p1_row_commit, p1_row_finish,
	  p1_errname, P1_NERR, p1_row_settled, 1 },
	{ "mbus", "wired M-Bus long frames (EN 13757-2) as DLMS meters send them",
	  LINK_MBUS, mbus_row_init, mbus_row_space, mbus_row_commit, mbus_row_finish,
	  mbus_errname, MBUS_NERR, mbus_row_settled, 1 },
	{ "db", "bare general-glo-ciphering APDUs (DB), no link layer: Luxembourg and Austrian P1",
	  LINK_DB, db_row_init, db_row_space, db_row_commit, db_row_finish,
	  dbenv_errname, DBENV_NERR, db_row_settled, 0 },
};
const int nframers = (int)(sizeof framers / sizeof framers[0]);

const struct framer *
framer_of(enum link_kind k)
{
	for (int i = 0; i < nframers; i++)
		if (framers[i].kind == k)
			return &framers[i];
	return &framers[0];	/* every kind has a row */
}

const struct framer *
framer_byname(const char *s, size_t n)
{
	for (int i = 0; i < nframers; i++)
		if (strlen(framers[i].name) == n && memcmp(framers[i].name, s, n) == 0)
			return &framers[i];
	return NULL;
}

void
link_init(struct link *lk, const struct framer *fr, unsigned flags)
{
	lk->fr = fr;
	fr->init(lk, flags);
}

void
link_feed(struct link *lk, const uint8_t *p, size_t n, link_cb *cb, void *ctx)
{
	while (n) {
		size_t room, k;
		uint8_t *w = link_space(lk, &room);

		k = n < room ? n : room;
		memcpy(w, p, k);
		p += k;
		n -= k;
		link_commit(lk, k, cb, ctx);
	}
}
