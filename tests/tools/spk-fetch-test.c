/* spk-fetch-test: drives libspk/fetch.c from the command line, for the transport's shell tests and
 * the download benchmark (before `spk install` fetches from repositories).
 *
 *   spk-fetch-test [--parallel N] [--quiet] [--verbose] [--cache ROOT] LIST
 *   spk-fetch-test --mem MAX URL          (the body on stdout)
 *
 * LIST has one request a line: "URL DEST [SIZE|- [SHA256|-]]". With --cache ROOT, DEST is an asset
 * name and the file goes to ROOT's download cache. The environment is read as spk reads it
 * (GITHUB_TOKEN, SPK_GITHUB_URL, SPK_FETCH_*). Prints one line per request on stdout:
 * "DEST ok|cached|resumed BYTES ATTEMPTS SHA256"; each failure as "spk-fetch-test: error: ...".
 * Exit 0 when all succeeded, 1 otherwise, 2 on usage errors. */
#include "libcli/progress.h"
#include "libcli/report.h"
#include "libspk/buf.h"
#include "libspk/cache.h"
#include "libspk/fetch.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PROG "spk-fetch-test"

struct ui {
	struct progress bar;
	bool verbose;
};

static void on_retry(void *ctx, const struct spk_fetch_req *r, unsigned attempt, unsigned wait_ms,
		     const char *why)
{
	struct ui *ui = ctx;

	if (!ui->verbose)
		return;
	progress_clear(&ui->bar);
	fprintf(stderr, PROG ": retry: %s: attempt %u failed (%s); next in %u ms\n", r->url,
		attempt, why, wait_ms);
}

static int do_mem(const char *max, const char *url)
{
	struct spk_fetch_opts o;
	struct spk_buf b;
	struct spk_err e = { 0 };
	unsigned long m;
	char *end;
	int r;

	errno = 0;
	m = strtoul(max, &end, 10);
	if (errno || *end || !*max)
		return report_usage(PROG, "--mem: expected a byte count, not '%s'", max);
	spk_buf_init(&b, m);
	spk_fetch_opts_init(&o);
	r = spk_fetch_opts_env(&o, &e);
	if (r == 0)
		r = spk_fetch_mem(url, &b, &o, &e);
	if (r == 0 && b.len && fwrite(b.data, 1, b.len, stdout) != b.len)
		r = spk_fail(&e, -EIO, "stdout", NULL);
	spk_buf_release(&b);
	return r < 0 ? report(PROG, &e) : 0;
}

/* Splits line into at most max blank-separated fields (in place). */
static size_t split(char *line, char **f, size_t max)
{
	size_t n = 0;

	while (*line && n < max) {
		while (*line == ' ' || *line == '\t')
			*line++ = '\0';
		if (!*line)
			break;
		f[n++] = line;
		while (*line && *line != ' ' && *line != '\t')
			line++;
	}
	return n;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "parallel", required_argument, NULL, 'j' }, { "quiet", no_argument, NULL, 'q' },
		{ "verbose", no_argument, NULL, 'v' },	       { "cache", required_argument, NULL, 'c' },
		{ "mem", required_argument, NULL, 'm' },       { NULL, 0, NULL, 0 },
	};
	struct spk_cache cache = { 0 };
	struct spk_fetch_opts o;
	struct spk_fetch_req *reqs = NULL;
	struct spk_fetch_cb cb;
	struct spk_err e = { 0 };
	struct spk_buf list = SPK_BUF_INIT;
	struct ui ui = { 0 };
	const char *cache_root = NULL, *mem = NULL;
	bool quiet = false;
	size_t n = 0, cap = 0;
	char **paths = NULL;
	int c, fd, r = 0, rc = 0;
	unsigned long par = 0;
	char *line, *next, *end;

	while ((c = getopt_long(argc, argv, "j:qvc:m:", longopts, NULL)) != -1) {
		switch (c) {
		case 'j':
			errno = 0;
			par = strtoul(optarg, &end, 10);
			if (errno || *end || par == 0 || par > 1000)
				return report_usage(PROG, "--parallel: expected 1..1000");
			break;
		case 'q':
			quiet = true;
			break;
		case 'v':
			ui.verbose = true;
			break;
		case 'c':
			cache_root = optarg;
			break;
		case 'm':
			mem = optarg;
			break;
		default:
			return 2;
		}
	}
	if (optind != argc - 1)
		return report_usage(PROG, "expected one argument (a list file, or a URL with --mem)");
	if (mem)
		return do_mem(mem, argv[optind]);

	spk_fetch_opts_init(&o);
	if (spk_fetch_opts_env(&o, &e) < 0)
		return report(PROG, &e);
	if (par)
		o.parallel = (unsigned)par;
	fd = open(argv[optind], O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return report_msg(PROG, "%s: %s", argv[optind], strerror(errno));
	r = spk_buf_read_fd(&list, fd);
	close(fd);
	if (r < 0) {
		rc = report_msg(PROG, "%s: %s", argv[optind], spk_strerror(r));
		goto out;
	}
	if (cache_root && spk_cache_open(&cache, cache_root, true, &e) < 0) {
		rc = report(PROG, &e);
		goto out;
	}
	for (line = list.data; line && *line; line = next) {
		char *f[4];
		size_t k;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		k = split(line, f, 4);
		if (k == 0 || f[0][0] == '#')
			continue;
		if (k < 2) {
			rc = report_usage(PROG, "%s: a line needs URL and DEST", argv[optind]);
			goto out;
		}
		if (n == cap) {
			size_t ncap = cap ? cap * 2 : 16;
			struct spk_fetch_req *nr = realloc(reqs, ncap * sizeof(*nr));
			char **np = realloc(paths, ncap * sizeof(*np));

			if (nr)
				reqs = nr;
			if (np)
				paths = np;
			if (!nr || !np) {
				rc = report_msg(PROG, "out of memory");
				goto out;
			}
			cap = ncap;
		}
		memset(&reqs[n], 0, sizeof(reqs[n]));
		paths[n] = NULL;
		reqs[n].url = f[0];
		reqs[n].dest = f[1];
		if (k > 2 && strcmp(f[2], "-")) {
			errno = 0;
			reqs[n].size = strtoull(f[2], &end, 10);
			if (errno || *end) {
				rc = report_usage(PROG, "bad size '%s'", f[2]);
				goto out;
			}
		}
		if (k > 3 && strcmp(f[3], "-"))
			reqs[n].sha256 = f[3];
		if (cache_root) {
			if (!reqs[n].sha256) {
				rc = report_usage(PROG, "--cache needs a SHA-256 on every line");
				goto out;
			}
			if (spk_cache_path(&cache, f[1], f[3], &paths[n], &e) < 0) {
				rc = report(PROG, &e);
				goto out;
			}
			reqs[n].dest = paths[n];
		}
		n++;
	}

	progress_init(&ui.bar, quiet);
	cb = (struct spk_fetch_cb){ .progress = progress_fetch, .retry = on_retry, .ctx = &ui };
	r = spk_fetch_run(reqs, n, &o, &cb, &e);
	progress_clear(&ui.bar);
	for (size_t i = 0; i < n; i++) {
		struct spk_fetch_req *q = &reqs[i];

		if (q->result < 0) {
			report(PROG, &q->err);
			continue;
		}
		printf("%s %s %llu %u %s\n", q->dest,
		       q->cached ? "cached" : q->resumed ? "resumed" : "ok",
		       (unsigned long long)q->bytes, q->attempts, q->sha256_got);
	}
	rc = r < 0 ? 1 : 0;
out:
	for (size_t i = 0; i < n; i++)
		free(paths[i]);
	free(paths);
	free(reqs);
	spk_cache_release(&cache);
	spk_buf_release(&list);
	return rc;
}
