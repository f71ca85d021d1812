/* How a repository channel is read, written and accepted (see channel.h). The rules are the two
 * cheapest lessons of TUF: refuse a lower serial (rollback) and an expired channel (freeze). */
#include "libspk/channel.h"

#include "libspk/buf.h"

#include <errno.h>
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

enum { F_REPOSITORY = 1, F_SNAPSHOT = 2, F_SERIAL = 4, F_DATE = 8, F_VALID = 16, F_INDEX = 32 };
#define F_ALL 63

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static int num(const char *s, int n)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (!is_digit(s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

int spk_channel_time_parse(const char *s, int64_t *t)
{
	static const unsigned char mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int y, mo, d, h, mi, se;
	bool leap;

	/* exactly YYYY-MM-DDTHH:MM:SSZ: one spelling, so a signed channel means one instant */
	if (strlen(s) != 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' ||
	    s[16] != ':' || s[19] != 'Z')
		return -SPK_EFORMAT;
	y = num(s, 4);
	mo = num(s + 5, 2);
	d = num(s + 8, 2);
	h = num(s + 11, 2);
	mi = num(s + 14, 2);
	se = num(s + 17, 2);
	if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] || h > 23 || mi > 59 ||
	    se > 59 || h < 0 || mi < 0 || se < 0)
		return -SPK_EFORMAT;
	leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (mo == 2 && d == 29 && !leap)
		return -SPK_EFORMAT;
	*t = days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 + h * 3600 + mi * 60 + se;
	return 0;
}

void spk_channel_time_format(int64_t t, char *buf, size_t n)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (!gmtime_r(&tt, &tm) || !strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm))
		snprintf(buf, n, "1970-01-01T00:00:00Z");
}

void spk_channel_hex(const uint8_t sha[32], char *buf)
{
	sodium_bin2hex(buf, 65, sha, 32);
}

static bool repo_ok(const char *s)
{
	const char *slash = strchr(s, '/');

	if (!slash || slash == s || !slash[1] || strchr(slash + 1, '/'))
		return false;
	for (; *s; s++)
		if (!(is_digit(*s) || (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      *s == '-' || *s == '_' || *s == '.' || *s == '/'))
			return false;
	return true;
}

/* A release tag that is safe in a URL path and a file name. */
static bool tag_ok(const char *s)
{
	if (!*s || *s == '.')
		return false;
	for (; *s; s++)
		if (!(is_digit(*s) || (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      *s == '-' || *s == '_' || *s == '.'))
			return false;
	return true;
}

static int hex32(const char *s, uint8_t out[32])
{
	size_t got;
	const char *end;

	if (strlen(s) != 64)
		return -1;
	for (const char *p = s; *p; p++)
		if (!(is_digit(*p) || (*p >= 'a' && *p <= 'f')))
			return -1;
	if (sodium_hex2bin(out, 32, s, 64, NULL, &got, &end) || got != 32)
		return -1;
	return 0;
}

/* One "Key: value" line; returns the field bit, 0 for an unknown key, or -SPK_EFORMAT. */
static int field(struct spk_channel *c, const char *key, size_t kn, const char *val,
                 const char *what, unsigned line, struct spk_err *e)
{
	char *end;

#define KEY(k) (kn == sizeof(k) - 1 && !memcmp(key, k, kn))
	if (KEY("Repository")) {
		if (!repo_ok(val))
			return spk_fail(e, -SPK_EFORMAT, what, "line %u: bad Repository '%s'", line,
			                val);
		snprintf(c->repository, sizeof(c->repository), "%s", val);
		return F_REPOSITORY;
	}
	if (KEY("Snapshot")) {
		if (!tag_ok(val))
			return spk_fail(e, -SPK_EFORMAT, what, "line %u: bad Snapshot '%s'", line,
			                val);
		snprintf(c->snapshot, sizeof(c->snapshot), "%s", val);
		return F_SNAPSHOT;
	}
	if (KEY("Serial")) {
		errno = 0;
		c->serial = strtoull(val, &end, 10);
		if (!is_digit(*val) || *end || errno || (val[0] == '0' && val[1]))
			return spk_fail(e, -SPK_EFORMAT, what, "line %u: bad Serial '%s'", line,
			                val);
		return F_SERIAL;
	}
	if (KEY("Date") || KEY("Valid-Until")) {
		int64_t *t = KEY("Date") ? &c->date : &c->valid_until;

		if (spk_channel_time_parse(val, t) < 0)
			return spk_fail(e, -SPK_EFORMAT, what,
			                "line %u: bad time '%s' (expected YYYY-MM-DDTHH:MM:SSZ)",
			                line, val);
		return KEY("Date") ? F_DATE : F_VALID;
	}
	if (KEY("Index-SHA256")) {
		if (hex32(val, c->index_sha256) < 0)
			return spk_fail(e, -SPK_EFORMAT, what, "line %u: bad Index-SHA256", line);
		return F_INDEX;
	}
#undef KEY
	return 0;
}

int spk_channel_parse(struct spk_channel *c, const char *text, size_t len, const char *what,
                      struct spk_err *e)
{
	static const char *const names[] = {"Repository", "Snapshot",    "Serial",
	                                    "Date",       "Valid-Until", "Index-SHA256"};
	const char *p = text, *end = text + len;
	char val[SPK_CHANNEL_FIELD_MAX];
	unsigned seen = 0, line = 0;

	memset(c, 0, sizeof(*c));
	if (len > SPK_CHANNEL_MAX)
		return spk_fail(e, -SPK_EFORMAT, what, "larger than %d bytes", SPK_CHANNEL_MAX);
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p)), *colon, *v;
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p), vn;
		int f;

		line++;
		if (!nl)
			return spk_fail(e, -SPK_EFORMAT, what, "line %u: no final newline", line);
		colon = memchr(p, ':', n);
		if (!colon || colon == p || colon + 1 >= p + n || colon[1] != ' ')
			return spk_fail(e, -SPK_EFORMAT, what, "line %u: expected 'Key: value'",
			                line);
		v = colon + 2;
		vn = (size_t)(p + n - v);
		if (vn >= sizeof(val) || memchr(v, '\0', vn) || memchr(p, '\r', n))
			return spk_fail(e, -SPK_EFORMAT, what, "line %u: bad value", line);
		memcpy(val, v, vn);
		val[vn] = '\0';
		f = field(c, p, (size_t)(colon - p), val, what, line, e);
		if (f < 0)
			return f;
		if (f & seen)
			return spk_fail(e, -SPK_EFORMAT, what, "line %u: %.*s given twice", line,
			                (int)(colon - p), p);
		seen |= (unsigned)f;
		p = nl + 1;
	}
	for (unsigned i = 0; i < 6; i++)
		if (!(seen & (1u << i)))
			return spk_fail(e, -SPK_EFORMAT, what, "no %s", names[i]);
	return 0;
}

int spk_channel_format(const struct spk_channel *c, struct spk_buf *out)
{
	char date[32], valid[32], hex[65];

	spk_channel_time_format(c->date, date, sizeof(date));
	spk_channel_time_format(c->valid_until, valid, sizeof(valid));
	spk_channel_hex(c->index_sha256, hex);
	return spk_buf_addf(out,
	                    "Repository: %s\nSnapshot: %s\nSerial: %" PRIu64
	                    "\nDate: %s\nValid-Until: %s\nIndex-SHA256: %s\n",
	                    c->repository, c->snapshot, c->serial, date, valid, hex);
}

int spk_channel_accept(struct spk_channel *c, const char *text, size_t len, const char *sigtext,
                       size_t siglen, const struct spk_sig_keyring *kr,
                       const struct spk_channel_state *st, const char *what, struct spk_err *e)
{
	char when[32];
	int r;

	memset(c, 0, sizeof(*c));
	/* the signature first: nothing of an unauthenticated channel is looked at */
	if (!sigtext || siglen == 0)
		return spk_fail(e, -SPK_ESIGNATURE, what, "missing signature (SPKCHANNEL.minisig)");
	r = spk_sig_verify(kr, text, len, sigtext, siglen, what, NULL, e);
	if (r < 0)
		return r;
	r = spk_channel_parse(c, text, len, what, e);
	if (r < 0)
		return r;
	if (st->repository && strcmp(st->repository, c->repository))
		return spk_fail(e, -SPK_EMISMATCH, what, "channel is for repository %s, not %s",
		                c->repository, st->repository);
	if (st->have_last && c->serial < st->last_serial)
		return spk_fail(e, -SPK_EROLLBACK, what,
		                "serial %" PRIu64 " is lower than the last accepted %" PRIu64
		                " (rollback refused)",
		                c->serial, st->last_serial);
	if (st->have_last && c->serial == st->last_serial && st->last_snapshot &&
	    strcmp(st->last_snapshot, c->snapshot))
		return spk_fail(e, -SPK_EROLLBACK, what,
		                "serial %" PRIu64 " was accepted for snapshot %s, now names %s",
		                c->serial, st->last_snapshot, c->snapshot);
	if (c->valid_until <= st->now) {
		spk_channel_time_format(c->valid_until, when, sizeof(when));
		return spk_fail(e, -SPK_EEXPIRED, what,
		                "expired at %s (Valid-Until; freeze refused)", when);
	}
	return 0;
}

int spk_channel_accept_root(struct spk_channel *c, int rootfd, const char *text, size_t len,
                            const char *sigtext, size_t siglen, const struct spk_channel_state *st,
                            const char *what, struct spk_err *e)
{
	struct spk_sig_keyring kr;
	int r = spk_sig_keyring_load(&kr, rootfd, e);

	if (r < 0)
		return r;
	r = spk_channel_accept(c, text, len, sigtext, siglen, &kr, st, what, e);
	spk_sig_keyring_release(&kr);
	return r;
}

int spk_channel_check_index(const struct spk_channel *c, const void *index, size_t len,
                            const char *what, struct spk_err *e)
{
	uint8_t sha[32];
	char got[65], want[65];
	int r = spk_sig_init(e);

	if (r < 0)
		return r;
	crypto_hash_sha256(sha, index, len);
	if (sodium_memcmp(sha, c->index_sha256, 32)) {
		spk_channel_hex(sha, got);
		spk_channel_hex(c->index_sha256, want);
		return spk_fail(e, -SPK_EMISMATCH, what, "SHA-256 %s, but the channel says %s", got,
		                want);
	}
	return 0;
}
