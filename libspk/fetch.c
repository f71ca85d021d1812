/* The transport: a batch of downloads on one libcurl multi handle.
 *
 * Each request is one struct xfer that moves through these states:
 *
 *   WAITING --xfer_start()--> ACTIVE --xfer_done()--> DONE          verified, renamed, or failed
 *      ^                        |  ^
 *      |                        |  +-- redirect(): 3xx, same attempt, next URL (token re-decided)
 *      +------- retry() --------+      429/5xx/connection error/truncation, after a back-off
 *
 * Invariants: DEST is only ever created by rename() of a DEST.part whose length and SHA-256 were
 * checked; the SHA-256 state always covers exactly the bytes in DEST.part (or in the memory
 * buffer past its starting length), so a resumed transfer hashes the old bytes first; bytes of a
 * response other than 200/206 never reach the result. Redirects are followed here, not by
 * libcurl, so the Authorization header is decided for every hop by spk_fetch_is_github().
 */
#include "libspk/fetch.h"

#include "libspk/fetch_http.h"

#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#ifndef SPK_VERSION
#define SPK_VERSION "0"
#endif

#define MAX_REDIRECTS 10
#define PROGRESS_EVERY 0.1 /* seconds between progress callbacks */

enum xfer_state { WAITING, ACTIVE, DONE };

struct run;

struct xfer {
	struct run *run;
	struct spk_fetch_req *req;
	size_t index;
	enum xfer_state state;
	CURL *h;
	struct curl_slist *headers;
	char *url;		/* the URL of the current hop (after redirects) */
	unsigned redirects;
	int fd;			/* DEST.part, or -1 for a memory request */
	char *part;
	size_t mem_base;	/* length of req->mem before this run */
	uint64_t got;		/* bytes of the result so far (== hashed bytes) */
	uint64_t from;		/* where the current attempt started (Range) */
	uint64_t cl_total;	/* length announced by the server (from + Content-Length); 0 unknown */
	crypto_hash_sha256_state sha;
	double not_before;	/* monotonic seconds: a WAITING retry starts no earlier */
	uint64_t waited_ms;
	bool restarted;		/* already restarted from zero after a mismatch of a resumed file */

	/* the current response, reset at each status line */
	long status;
	bool decided;		/* first body byte seen: payload or discarded */
	bool payload;
	bool has_retry_after;
	uint32_t retry_after;
	bool has_crange;
	uint64_t cr_first, cr_complete;
	int abort_code;		/* set by a callback that stopped the transfer */
	char abort_why[200];
	char errbuf[CURL_ERROR_SIZE];
};

struct run {
	const struct spk_fetch_opts *o;
	const struct spk_fetch_cb *cb;
	CURLM *multi;
	struct xfer *x;
	size_t n, files_done;
	double start, last_progress;
	uint64_t received; /* bytes that arrived in this run (for the rate) */
};

static double now_mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void spk_fetch_opts_init(struct spk_fetch_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->parallel = SPK_FETCH_PARALLEL;
	o->max_attempts = 5;
	o->backoff_ms = 500;
	o->max_wait_ms = 60000;
	o->total_wait_ms = 120000;
	o->connect_timeout_ms = 15000;
	o->low_speed_limit = 100;
	o->low_speed_time = 30;
	o->user_agent = "spk/" SPK_VERSION;
}

static int env_uint(const char *name, unsigned *v, struct spk_err *e)
{
	const char *s = getenv(name);
	unsigned long n;
	char *end;

	if (!s || !*s)
		return 0;
	errno = 0;
	n = strtoul(s, &end, 10);
	if (errno || *end || s[0] == '-' || n > 0x7fffffffUL)
		return spk_fail(e, -SPK_EUSAGE, name, "expected a number, not '%s'", s);
	*v = (unsigned)n;
	return 0;
}

int spk_fetch_opts_env(struct spk_fetch_opts *o, struct spk_err *e)
{
	const char *s;
	int r = 0;

	s = getenv("SPK_GITHUB_TOKEN");
	if (!s || !*s)
		s = getenv("GITHUB_TOKEN");
	if (s && *s)
		o->token = s;
	s = getenv("SPK_GITHUB_URL");
	if (s && *s)
		o->github_url = s;
	if (r == 0)
		r = env_uint("SPK_FETCH_BACKOFF_MS", &o->backoff_ms, e);
	if (r == 0)
		r = env_uint("SPK_FETCH_MAX_WAIT_MS", &o->max_wait_ms, e);
	if (r == 0)
		r = env_uint("SPK_FETCH_TOTAL_WAIT_MS", &o->total_wait_ms, e);
	if (r == 0)
		r = env_uint("SPK_FETCH_ATTEMPTS", &o->max_attempts, e);
	if (r == 0)
		r = env_uint("SPK_FETCH_LOW_SPEED_TIME", &o->low_speed_time, e);
	if (r == 0)
		r = env_uint("SPK_FETCH_CONNECT_TIMEOUT_MS", &o->connect_timeout_ms, e);
	return r;
}

/* Splits url into scheme, host (lowercase as curl gives it) and port (the default one filled in).
 * Caller frees *scheme and *host with curl_free(). */
static bool url_origin(const char *url, char **scheme, char **host, long *port)
{
	CURLU *u = curl_url();
	char *p = NULL;
	bool ok = false;

	*scheme = *host = NULL;
	if (!u)
		return false;
	if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK)
		goto out;
	if (curl_url_get(u, CURLUPART_SCHEME, scheme, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_HOST, host, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_PORT, &p, CURLU_DEFAULT_PORT) != CURLUE_OK)
		goto out;
	*port = strtol(p, NULL, 10);
	ok = true;
out:
	curl_free(p);
	if (!ok) {
		curl_free(*scheme);
		curl_free(*host);
		*scheme = *host = NULL;
	}
	curl_url_cleanup(u);
	return ok;
}

bool spk_fetch_is_github(const struct spk_fetch_opts *o, const char *url)
{
	char *scheme, *host, *gscheme, *ghost;
	long port, gport;
	bool yes = false;
	size_t len;

	if (!url_origin(url, &scheme, &host, &port))
		return false;
	len = strlen(host);
	/* Real GitHub: only over TLS, and only the hosts GitHub itself answers on; the storage hosts
	 * a download redirects to (objects.githubusercontent.com, S3) never see the token. */
	if (!strcasecmp(scheme, "https") &&
	    (!strcasecmp(host, "github.com") ||
	     (len > 11 && !strcasecmp(host + len - 11, ".github.com"))))
		yes = true;
	if (!yes && o->github_url && url_origin(o->github_url, &gscheme, &ghost, &gport)) {
		/* A mirror or a test stand-in: the whole origin must match, port included, since
		 * a loopback "storage" server differs from the "GitHub" one by its port only. */
		yes = !strcasecmp(scheme, gscheme) && !strcasecmp(host, ghost) && port == gport;
		curl_free(gscheme);
		curl_free(ghost);
	}
	curl_free(scheme);
	curl_free(host);
	return yes;
}

static void hex(const unsigned char *d, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[d[i] >> 4];
		out[2 * i + 1] = digits[d[i] & 15];
	}
	out[2 * n] = '\0';
}

/* Feeds fd's first len bytes (all of it when len is UINT64_MAX) into sha; *got = bytes read. */
static int hash_fd(int fd, crypto_hash_sha256_state *sha, uint64_t len, uint64_t *got)
{
	unsigned char buf[65536];
	uint64_t off = 0;
	ssize_t k;

	while (off < len) {
		size_t want = len - off < sizeof(buf) ? (size_t)(len - off) : sizeof(buf);

		k = pread(fd, buf, want, (off_t)off);
		if (k < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (k == 0)
			break;
		crypto_hash_sha256_update(sha, buf, (unsigned long long)k);
		off += (uint64_t)k;
	}
	*got = off;
	return 0;
}

/* Whether path holds exactly size (if known) bytes hashing to sha256 (hex). */
static bool file_matches(const char *path, uint64_t size, const char *sha256, char hexout[65],
			 uint64_t *len)
{
	crypto_hash_sha256_state sha;
	unsigned char d[crypto_hash_sha256_BYTES];
	struct stat st;
	uint64_t got;
	bool ok = false;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || (size && (uint64_t)st.st_size != size))
		goto out;
	crypto_hash_sha256_init(&sha);
	if (hash_fd(fd, &sha, UINT64_MAX, &got) < 0)
		goto out;
	crypto_hash_sha256_final(&sha, d);
	hex(d, sizeof(d), hexout);
	ok = !strcasecmp(hexout, sha256);
	*len = got;
out:
	close(fd);
	return ok;
}

static const char *short_name(const char *url)
{
	const char *q = strchr(url, '?'), *end = q ? q : url + strlen(url);
	const char *s = end;

	while (s > url && s[-1] != '/')
		s--;
	return s < end ? s : url;
}

static void progress(struct run *run, struct xfer *x, bool finished)
{
	struct spk_fetch_progress p = { 0 };
	double t = now_mono();

	if (!run->cb || !run->cb->progress)
		return;
	if (!finished && t - run->last_progress < PROGRESS_EVERY)
		return;
	run->last_progress = t;
	p.index = x->index;
	p.name = short_name(x->req->url);
	p.file_done = x->got;
	p.file_total = x->req->size ? x->req->size : x->cl_total;
	p.finished = finished;
	p.files_done = run->files_done;
	p.files_total = run->n;
	for (size_t i = 0; i < run->n; i++) {
		struct xfer *y = &run->x[i];
		uint64_t total = y->req->size ? y->req->size : y->cl_total;

		p.done += y->got;
		p.total += total > y->got ? total : y->got;
	}
	p.elapsed = t - run->start;
	p.rate = p.elapsed > 0 ? (double)run->received / p.elapsed : 0;
	run->cb->progress(run->cb->ctx, &p);
}

/* Empties the result so the next attempt starts from byte 0. */
static int xfer_truncate(struct xfer *x)
{
	if (x->fd >= 0) {
		if (ftruncate(x->fd, 0) < 0 || lseek(x->fd, 0, SEEK_SET) < 0)
			return -errno;
	} else {
		x->req->mem->len = x->mem_base;
		if (x->req->mem->data)
			x->req->mem->data[x->mem_base] = '\0';
	}
	crypto_hash_sha256_init(&x->sha);
	x->got = 0;
	x->req->resumed = false;
	return 0;
}

static size_t abort_xfer(struct xfer *x, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static size_t abort_xfer(struct xfer *x, int code, const char *fmt, ...)
{
	va_list ap;

	x->abort_code = code;
	va_start(ap, fmt);
	vsnprintf(x->abort_why, sizeof(x->abort_why), fmt, ap);
	va_end(ap);
	return 0; /* a short count makes libcurl stop with CURLE_WRITE_ERROR */
}

/* The first body byte of a response: is it the payload, and does it fit what we asked for? */
static size_t decide(struct xfer *x)
{
	curl_off_t cl = -1;

	x->decided = true;
	if (x->status == 200) {
		x->payload = true;
		/* A server that ignores Range sends the whole file again: start over. */
		if (x->from > 0 || x->got > 0) {
			int r = xfer_truncate(x);

			if (r < 0)
				return abort_xfer(x, r, "%s", strerror(-r));
			x->from = 0;
		}
	} else if (x->status == 206) {
		if (!x->has_crange || x->cr_first != x->from)
			return abort_xfer(x, -SPK_ENETWORK, "206 answer without a matching Content-Range");
		if (x->cr_complete != UINT64_MAX)
			x->cl_total = x->cr_complete;
		x->payload = true;
		x->req->resumed = x->from > 0;
	} else {
		x->payload = false; /* an error page or a redirect's body: never part of the result */
		return 1;
	}
	if (x->status == 200 && curl_easy_getinfo(x->h, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &cl) ==
					CURLE_OK && cl >= 0)
		x->cl_total = (uint64_t)cl;
	if (x->req->size && x->cl_total && x->cl_total != x->req->size)
		return abort_xfer(x, -SPK_EMISMATCH, "server announces %llu bytes, expected %llu",
				  (unsigned long long)x->cl_total,
				  (unsigned long long)x->req->size);
	return 1;
}

static size_t on_body(char *data, size_t size, size_t nmemb, void *ctx)
{
	struct xfer *x = ctx;
	size_t n = size * nmemb, off = 0;
	int r;

	if (!x->decided && decide(x) == 0)
		return 0;
	if (!x->payload)
		return n;
	if (x->req->size && (x->got > x->req->size || n > x->req->size - x->got))
		return abort_xfer(x, -SPK_EMISMATCH, "longer than the expected %llu bytes",
				  (unsigned long long)x->req->size);
	if (x->fd >= 0) {
		while (off < n) {
			ssize_t k = write(x->fd, data + off, n - off);

			if (k < 0 && errno == EINTR)
				continue;
			if (k < 0)
				return abort_xfer(x, -errno, "writing %s: %s", x->part, strerror(errno));
			off += (size_t)k;
		}
	} else {
		r = spk_buf_add(x->req->mem, data, n);
		if (r < 0)
			return abort_xfer(x, r, "larger than %zu bytes", x->req->mem->max);
	}
	crypto_hash_sha256_update(&x->sha, (const unsigned char *)data, n);
	x->got += n;
	x->run->received += n;
	progress(x->run, x, false);
	return n;
}

static bool header_is(const char *line, size_t len, const char *name, const char **value,
		      size_t *vlen)
{
	size_t k = strlen(name);

	if (len <= k || strncasecmp(line, name, k) != 0 || line[k] != ':')
		return false;
	*value = line + k + 1;
	*vlen = len - k - 1;
	return true;
}

static size_t on_header(char *line, size_t size, size_t nmemb, void *ctx)
{
	struct xfer *x = ctx;
	size_t n = size * nmemb;
	const char *v;
	size_t vlen;
	uint64_t last;

	if (n > 5 && !strncmp(line, "HTTP/", 5)) {
		/* A new response (a 1xx, or the final one): forget the previous one's headers. */
		const char *sp = memchr(line, ' ', n);

		x->status = 0;
		if (sp && sp + 4 <= line + n)
			x->status = (sp[1] - '0') * 100 + (sp[2] - '0') * 10 + (sp[3] - '0');
		x->decided = x->payload = false;
		x->has_retry_after = x->has_crange = false;
	} else if (header_is(line, n, "Retry-After", &v, &vlen)) {
		x->has_retry_after = spk_fetch_http_retry_after(v, vlen, time(NULL),
								&x->retry_after) == 0;
	} else if (header_is(line, n, "Content-Range", &v, &vlen)) {
		x->has_crange = spk_fetch_http_content_range(v, vlen, &x->cr_first, &last,
							     &x->cr_complete) == 0;
	}
	return n;
}

/* Points the handle at x->url for a new hop or attempt and adds it to the multi handle. */
static int xfer_launch(struct xfer *x)
{
	const struct spk_fetch_opts *o = x->run->o;
	char range[48];

	curl_slist_free_all(x->headers);
	x->headers = NULL;
	if (o->token && spk_fetch_is_github(o, x->url)) {
		char *auth;
		size_t len = strlen(o->token) + 32;

		auth = malloc(len);
		if (!auth)
			return -ENOMEM;
		snprintf(auth, len, "Authorization: Bearer %s", o->token);
		x->headers = curl_slist_append(NULL, auth);
		sodium_memzero(auth, len);
		free(auth);
		if (!x->headers)
			return -ENOMEM;
	}
	x->status = 0;
	x->decided = x->payload = false;
	x->has_retry_after = x->has_crange = false;
	x->abort_code = 0;
	x->errbuf[0] = '\0';
	x->from = x->got;
	if (x->from > 0)
		snprintf(range, sizeof(range), "%llu-", (unsigned long long)x->from);
	curl_easy_setopt(x->h, CURLOPT_URL, x->url);
	curl_easy_setopt(x->h, CURLOPT_HTTPHEADER, x->headers);
	curl_easy_setopt(x->h, CURLOPT_RANGE, x->from > 0 ? range : NULL);
	/* Wait for a connection that may multiplex only where HTTP/2 can be negotiated (TLS ALPN):
	 * over plain HTTP it would just serialise the first requests behind the first answer. */
	curl_easy_setopt(x->h, CURLOPT_PIPEWAIT, strncasecmp(x->url, "https:", 6) ? 0L : 1L);
	if (curl_multi_add_handle(x->run->multi, x->h) != CURLM_OK)
		return -ENOMEM;
	x->state = ACTIVE;
	return 0;
}

static int xfer_setup(struct xfer *x)
{
	const struct spk_fetch_opts *o = x->run->o;
	CURL *h = curl_easy_init();

	if (!h)
		return -ENOMEM;
	x->h = h;
	curl_easy_setopt(h, CURLOPT_PRIVATE, x);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, x->errbuf);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, x);
	curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(h, CURLOPT_HEADERDATA, x);
	curl_easy_setopt(h, CURLOPT_USERAGENT, o->user_agent ? o->user_agent : "spk/" SPK_VERSION);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	/* Redirects are ours (redirect()), so a token is decided per hop; never let libcurl
	 * forward credentials anywhere. */
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(h, CURLOPT_UNRESTRICTED_AUTH, 0L);
	curl_easy_setopt(h, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_2TLS);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, (long)o->connect_timeout_ms);
	curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, (long)o->low_speed_limit);
	curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME, (long)o->low_speed_time);
	curl_easy_setopt(h, CURLOPT_TCP_KEEPALIVE, 1L);
	return 0;
}

/* Opens DEST.part and hashes what an earlier run left in it, so this run can resume. */
static int xfer_open(struct xfer *x)
{
	struct spk_fetch_req *r = x->req;
	struct stat st;
	size_t len;
	int ret;

	crypto_hash_sha256_init(&x->sha);
	if (!r->dest) {
		x->mem_base = r->mem->len;
		return 0;
	}
	len = strlen(r->dest) + 6;
	x->part = malloc(len);
	if (!x->part)
		return spk_fail(&r->err, -ENOMEM, r->dest, NULL);
	snprintf(x->part, len, "%s.part", r->dest);
	x->fd = open(x->part, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (x->fd < 0)
		return spk_fail(&r->err, -errno, x->part, NULL);
	if (fstat(x->fd, &st) < 0)
		return spk_fail(&r->err, -errno, x->part, NULL);
	if (st.st_size > 0 && (!r->size || (uint64_t)st.st_size <= r->size)) {
		ret = hash_fd(x->fd, &x->sha, (uint64_t)st.st_size, &x->got);
		if (ret < 0)
			return spk_fail(&r->err, ret, x->part, NULL);
		r->resumed = x->got > 0;
	} else if (st.st_size > 0 && ftruncate(x->fd, 0) < 0) {
		return spk_fail(&r->err, -errno, x->part, NULL);
	}
	if (lseek(x->fd, (off_t)x->got, SEEK_SET) < 0)
		return spk_fail(&r->err, -errno, x->part, NULL);
	return 0;
}

static void xfer_finish(struct xfer *x, int code)
{
	x->state = DONE;
	x->req->result = code;
	if (x->fd >= 0) {
		if (close(x->fd) < 0 && code == 0)
			code = x->req->result = spk_fail(&x->req->err, -errno, x->part, NULL);
		x->fd = -1;
	}
	if (code == 0 && x->req->dest && rename(x->part, x->req->dest) < 0)
		x->req->result = spk_fail(&x->req->err, -errno, x->req->dest, "rename from %s: %s",
					  x->part, strerror(errno));
	if (x->req->result == 0)
		x->req->bytes = x->got;
	x->run->files_done++;
	progress(x->run, x, true);
}

static void xfer_fail(struct xfer *x, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void xfer_fail(struct xfer *x, int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	spk_vfail(&x->req->err, code, x->req->url, fmt, ap);
	va_end(ap);
	x->req->sha256_got[0] = '\0';
	xfer_finish(x, code);
}

/* A failed attempt that may succeed later: wait (back-off, Retry-After) or give up. */
static void retry(struct xfer *x, const char *why)
{
	const struct spk_fetch_opts *o = x->run->o;
	unsigned a = x->req->attempts;
	uint64_t wait;

	if (a >= o->max_attempts) {
		xfer_fail(x, -SPK_ENETWORK, "%s (%u attempt%s)", why, a, a == 1 ? "" : "s");
		return;
	}
	wait = a - 1 < 20 ? (uint64_t)o->backoff_ms << (a - 1) : (uint64_t)o->max_wait_ms;
	if (wait > o->max_wait_ms)
		wait = o->max_wait_ms;
	if (x->has_retry_after) {
		uint64_t ra = (uint64_t)x->retry_after * 1000;

		if (ra > o->max_wait_ms) {
			xfer_fail(x, -SPK_ENETWORK, "%s; the server asks to retry after %u s",
				  why, x->retry_after);
			return;
		}
		if (ra > wait)
			wait = ra;
	}
	if (x->waited_ms + wait > o->total_wait_ms) {
		xfer_fail(x, -SPK_ENETWORK, "%s (gave up after %u attempts and %.1f s of waiting)",
			  why, a, (double)x->waited_ms / 1000);
		return;
	}
	x->waited_ms += wait;
	x->not_before = now_mono() + (double)wait / 1000;
	x->state = WAITING;
	free(x->url);
	x->url = NULL; /* storage URLs expire: every attempt starts again at the request's URL */
	if (x->run->cb && x->run->cb->retry)
		x->run->cb->retry(x->run->cb->ctx, x->req, a, (unsigned)wait, why);
}

static void xfer_start(struct xfer *x)
{
	int r;

	if (!x->url) {
		x->url = strdup(x->req->url);
		if (!x->url) {
			xfer_fail(x, -ENOMEM, NULL);
			return;
		}
	}
	x->req->attempts++;
	x->redirects = 0;
	/* Memory requests never resume: SPKCHANNEL comes through the moving "latest" redirect,
	 * and two halves of two snapshots' channels must not be spliced. */
	if (x->fd < 0 && x->got > 0 && (r = xfer_truncate(x)) < 0) {
		xfer_fail(x, r, NULL);
		return;
	}
	r = xfer_launch(x);
	if (r < 0)
		xfer_fail(x, r, NULL);
}

static void redirect(struct xfer *x)
{
	char *loc = NULL, *next;
	int r;

	curl_easy_getinfo(x->h, CURLINFO_REDIRECT_URL, &loc);
	if (!loc) {
		xfer_fail(x, -SPK_ENETWORK, "HTTP %ld without a Location", x->status);
		return;
	}
	if (++x->redirects > MAX_REDIRECTS) {
		xfer_fail(x, -SPK_ENETWORK, "more than %d redirects", MAX_REDIRECTS);
		return;
	}
	/* The Location as libcurl resolved it against the current URL; not re-encoded, since
	 * storage URLs carry a signature over their exact query string. */
	next = strdup(loc);
	if (!next) {
		xfer_fail(x, -ENOMEM, NULL);
		return;
	}
	free(x->url);
	x->url = next;
	r = xfer_launch(x);
	if (r < 0)
		xfer_fail(x, r, NULL);
}

static bool retryable(CURLcode rc)
{
	switch (rc) {
	case CURLE_COULDNT_CONNECT:
	case CURLE_OPERATION_TIMEDOUT:
	case CURLE_PARTIAL_FILE:
	case CURLE_RECV_ERROR:
	case CURLE_SEND_ERROR:
	case CURLE_GOT_NOTHING:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_WEIRD_SERVER_REPLY:
		return true;
	default:
		return false;
	}
}

/* The checks before DEST exists: length, then SHA-256. */
static void complete(struct xfer *x)
{
	struct spk_fetch_req *r = x->req;
	unsigned char d[crypto_hash_sha256_BYTES];
	crypto_hash_sha256_state copy;
	char why[160];

	if ((r->size && x->got < r->size) || (x->cl_total && x->got < x->cl_total)) {
		/* The server closed cleanly, but short of the length we know: keep DEST.part. */
		snprintf(why, sizeof(why), "truncated: %llu of %llu bytes",
			 (unsigned long long)x->got,
			 (unsigned long long)(r->size ? r->size : x->cl_total));
		retry(x, why);
		return;
	}
	copy = x->sha;
	crypto_hash_sha256_final(&copy, d);
	hex(d, sizeof(d), r->sha256_got);
	if (r->sha256 && strcasecmp(r->sha256_got, r->sha256) != 0) {
		if (r->resumed && !x->restarted) {
			/* The old DEST.part may hold another file's bytes: one clean try. */
			x->restarted = true;
			if (xfer_truncate(x) == 0) {
				retry(x, "SHA-256 mismatch after resuming");
				return;
			}
		}
		if (x->fd >= 0) {
			close(x->fd);
			x->fd = -1;
			unlink(x->part);
		}
		xfer_fail(x, -SPK_EMISMATCH, "SHA-256 mismatch: got %s, expected %s",
			  r->sha256_got, r->sha256);
		return;
	}
	xfer_finish(x, 0);
}

static void xfer_done(struct xfer *x, CURLcode rc)
{
	char why[CURL_ERROR_SIZE + 64];
	long status = 0;

	curl_multi_remove_handle(x->run->multi, x->h);
	x->state = WAITING;
	curl_easy_getinfo(x->h, CURLINFO_RESPONSE_CODE, &status);
	x->status = status;
	if (rc == CURLE_OK && (status == 200 || status == 206) && !x->decided)
		decide(x); /* an empty body: the checks of the first byte still apply */
	if (x->abort_code) {
		if (x->abort_code == -SPK_EMISMATCH && x->fd >= 0) {
			close(x->fd);
			x->fd = -1;
			unlink(x->part);
		}
		if (x->abort_code == -SPK_ENETWORK) /* a bad Content-Range: try again from zero */
			retry(x, x->abort_why);
		else
			xfer_fail(x, x->abort_code, "%s", x->abort_why);
		return;
	}
	if (rc != CURLE_OK) {
		const char *detail = x->errbuf[0] ? x->errbuf : curl_easy_strerror(rc);

		if (rc == CURLE_COULDNT_RESOLVE_HOST || rc == CURLE_COULDNT_RESOLVE_PROXY) {
			xfer_fail(x, -SPK_ENETWORK, "cannot resolve host (offline?): %s", detail);
			return;
		}
		if (rc == CURLE_COULDNT_CONNECT)
			snprintf(why, sizeof(why), "cannot connect (offline or server down): %s",
				 detail);
		else if (rc == CURLE_OPERATION_TIMEDOUT)
			snprintf(why, sizeof(why), "timed out: %s", detail);
		else if (rc == CURLE_PARTIAL_FILE)
			snprintf(why, sizeof(why), "truncated: %s", detail);
		else
			snprintf(why, sizeof(why), "%s", detail);
		if (retryable(rc))
			retry(x, why);
		else
			xfer_fail(x, -SPK_ENETWORK, "%s", why);
		return;
	}
	if (status == 301 || status == 302 || status == 303 || status == 307 || status == 308) {
		redirect(x);
		return;
	}
	if (status == 200 || status == 206) {
		complete(x);
		return;
	}
	if (status == 416 && x->from > 0) {
		/* DEST.part is as long as the file or longer: start over. */
		int r = xfer_truncate(x);

		if (r < 0)
			xfer_fail(x, r, "%s: %s", x->part, strerror(-r));
		else
			retry(x, "range not satisfiable");
		return;
	}
	snprintf(why, sizeof(why), "HTTP %ld", status);
	if (status == 429 || status == 408 || status >= 500)
		retry(x, why);
	else
		xfer_fail(x, -SPK_ENETWORK, "%s", why);
}

static int run_loop(struct run *run)
{
	const struct spk_fetch_opts *o = run->o;
	unsigned parallel = o->parallel ? o->parallel : SPK_FETCH_PARALLEL;
	size_t left = run->n - run->files_done;
	unsigned active = 0;

	while (left > 0) {
		double t = now_mono(), wake = t + 1.0;
		int running, queued, timeout_ms;
		CURLMsg *m;

		for (size_t i = 0; i < run->n && active < parallel; i++) {
			struct xfer *x = &run->x[i];

			if (x->state != WAITING || x->not_before > t)
				continue;
			xfer_start(x);
			if (x->state == ACTIVE)
				active++;
			else if (x->state == DONE)
				left--;
		}
		if (curl_multi_perform(run->multi, &running) != CURLM_OK)
			return -ENOMEM;
		while ((m = curl_multi_info_read(run->multi, &queued))) {
			struct xfer *x;
			char *priv = NULL;

			if (m->msg != CURLMSG_DONE)
				continue;
			curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, &priv);
			x = (struct xfer *)priv;
			xfer_done(x, m->data.result);
			if (x->state != ACTIVE)
				active--;
			if (x->state == DONE)
				left--;
		}
		if (left == 0)
			break;
		for (size_t i = 0; i < run->n; i++)
			if (run->x[i].state == WAITING && run->x[i].not_before < wake)
				wake = run->x[i].not_before;
		t = now_mono();
		timeout_ms = wake > t ? (int)((wake - t) * 1000) + 1 : 0;
		if (active > 0 || timeout_ms > 0)
			curl_multi_poll(run->multi, NULL, 0, timeout_ms, NULL);
	}
	return 0;
}

static int check_req(struct spk_fetch_req *r)
{
	size_t i;

	if (!r->url || (!r->dest == !r->mem))
		return spk_fail(&r->err, -SPK_EUSAGE, r->url ? r->url : "(null)",
				"a request needs a URL and exactly one of dest and mem");
	if (r->sha256) {
		for (i = 0; r->sha256[i]; i++)
			if (!strchr("0123456789abcdefABCDEF", r->sha256[i]))
				break;
		if (i != 64 || r->sha256[i])
			return spk_fail(&r->err, -SPK_EUSAGE, r->url, "bad SHA-256 '%s'", r->sha256);
	}
	return 0;
}

int spk_fetch_run(struct spk_fetch_req *reqs, size_t n, const struct spk_fetch_opts *o,
		  const struct spk_fetch_cb *cb, struct spk_err *e)
{
	struct run run = { .o = o, .cb = cb, .n = n };
	struct spk_fetch_opts defaults;
	int ret = 0;

	if (!o) {
		spk_fetch_opts_init(&defaults);
		run.o = o = &defaults;
	}
	if (sodium_init() < 0)
		return spk_fail(e, -ENOMEM, "libsodium", "initialisation failed");
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return spk_fail(e, -ENOMEM, "libcurl", "initialisation failed");
	run.x = calloc(n ? n : 1, sizeof(*run.x));
	run.multi = curl_multi_init();
	if (!run.x || !run.multi) {
		ret = spk_fail(e, -ENOMEM, "libcurl", NULL);
		goto out;
	}
	curl_multi_setopt(run.multi, CURLMOPT_PIPELINING, CURLPIPE_MULTIPLEX);
	curl_multi_setopt(run.multi, CURLMOPT_MAX_TOTAL_CONNECTIONS,
			  (long)(o->parallel ? o->parallel : SPK_FETCH_PARALLEL));
	run.start = run.last_progress = now_mono();
	for (size_t i = 0; i < n; i++) {
		struct xfer *x = &run.x[i];
		struct spk_fetch_req *r = &reqs[i];
		int c;

		x->run = &run;
		x->req = r;
		x->index = i;
		x->fd = -1;
		x->state = WAITING;
		spk_err_clear(&r->err);
		r->result = 0;
		r->bytes = 0;
		r->attempts = 0;
		r->cached = r->resumed = false;
		r->sha256_got[0] = '\0';
		c = check_req(r);
		if (c == 0 && r->dest && r->sha256 &&
		    file_matches(r->dest, r->size, r->sha256, r->sha256_got, &r->bytes)) {
			r->cached = true;
			x->state = DONE;
			x->got = r->bytes;
			run.files_done++;
			continue;
		}
		if (c == 0)
			c = xfer_open(x);
		if (c == 0)
			c = xfer_setup(x) < 0 ? spk_fail(&r->err, -ENOMEM, r->url, NULL) : 0;
		if (c < 0) {
			r->result = c;
			x->state = DONE;
			run.files_done++;
		}
	}
	ret = run_loop(&run);
	if (ret < 0)
		spk_fail(e, ret, "libcurl", "multi interface failed");
out:
	for (size_t i = 0; run.x && i < n; i++) {
		struct xfer *x = &run.x[i];

		if (x->h) {
			if (x->state == ACTIVE)
				curl_multi_remove_handle(run.multi, x->h);
			curl_easy_cleanup(x->h);
		}
		curl_slist_free_all(x->headers);
		if (x->fd >= 0)
			close(x->fd);
		free(x->part);
		free(x->url);
		if (ret == 0 && reqs[i].result < 0) {
			ret = reqs[i].result;
			if (e)
				*e = reqs[i].err;
		}
	}
	if (run.multi)
		curl_multi_cleanup(run.multi);
	free(run.x);
	curl_global_cleanup();
	return ret;
}

int spk_fetch_mem(const char *url, struct spk_buf *out, const struct spk_fetch_opts *o,
		  struct spk_err *e)
{
	struct spk_fetch_req r = { .url = url, .mem = out };

	return spk_fetch_run(&r, 1, o, NULL, e);
}
