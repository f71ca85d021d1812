/* The resolver: libsolv's view of versions matches spk_version_cmp, then the resolution cases of
 * tests/data/solve/NAME.case (format in tests/data/solve/README).
 * The data directory: $SRC/tests/data/solve (tests/run exports SRC), else found from this file's
 * path relative to the build directory. */
#include "libspk/solve.h"

#include "libspk/version.h"
#include "tests/lib/unit.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Versions and upstream parts (a constraint may omit -rN); every pair is compared. */
static const char *const versions[] = {
	"1.0-r0",     "1.0-r1",	   "1.0-r10",	"1.0-r2",    "1.0",	 "1.0a-r0",  "1.0a",
	"1.0b-r0",    "1.0.a-r0",  "1.0.1-r0",	"1.0_1-r0",  "1.0..1-r0", "1.00-r0",  "01.0-r0",
	"1.0rc1-r0",  "1.0rc2-r0", "1.0rc10-r0", "1.0alpha-r0", "1.0beta-r0", "1.1-r0", "1.10-r0",
	"1.9-r0",     "2-r0",	   "2.0-r0",	"2.0.0-r0",  "10-r0",	 "9-r5",     "1a-r0",
	"1.a-r0",     "1_a-r0",	   "1-r0",	"1-r007",    "1-r7",	 "0.9.9-r3", "3.2.1-r99",
	"3.2.1",      "3.2",	   "3.2.1a-r0", "20240101-r0", "2024.01.01-r0", "1.0.0a-r0",
	"1.0.0.0-r0",
};

/* Raw pacman-style strings handed to libsolv would order some pairs differently (rpm rules): */
static const struct {
	const char *a, *b;
	int want; /* spk_version_cmp */
} known[] = {
	{ "1.0a-r0", "1.0-r0", -1 },     /* rpm: 1.0a > 1.0 */
	{ "1.0rc1-r0", "1.0-r0", -1 },   /* rpm: 1.0rc1 > 1.0 */
	{ "1.0..1-r0", "1.0.1-r0", 1 },  /* pacman: a longer separator run wins; rpm: equal */
	{ "1.0-r10", "1.0-r9", 1 },      /* numeric release */
	{ "3.2.1-r99", "3.2.1", 0 },     /* no -rN: upstream only */
	{ "3.2.1", "3.2.1-r0", 0 },
	{ "1-r007", "1-r7", 0 },
};

static int sign(int x)
{
	return x < 0 ? -1 : x > 0;
}

static void test_versions(void)
{
	size_t n = sizeof(versions) / sizeof(versions[0]), bad = 0;
	int *cmp = calloc(n * n, sizeof(*cmp));

	unit_check(cmp && spk_solve_version_order(versions, n, cmp) == 0,
		   "libsolv pool built for %zu versions", n);
	for (size_t i = 0; cmp && i < n; i++)
		for (size_t j = 0; j < n; j++) {
			int want = sign(spk_version_cmp(versions[i], versions[j]));

			if (sign(cmp[i * n + j]) != want) {
				bad++;
				printf("# %s vs %s: libsolv %d, spk %d\n", versions[i], versions[j],
				       cmp[i * n + j], want);
			}
		}
	unit_check(cmp && bad == 0, "libsolv order = spk_version_cmp on all %zu pairs (%zu differ)",
		   n * n, bad);
	free(cmp);

	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
		const char *v[2] = { known[i].a, known[i].b };
		int c[4] = { 0 };

		unit_check(spk_solve_version_order(v, 2, c) == 0 && sign(c[1]) == known[i].want &&
				   sign(spk_version_cmp(known[i].a, known[i].b)) == known[i].want,
			   "%s vs %s: %d in both", known[i].a, known[i].b, known[i].want);
	}
}

/* ---- case files ---- */

#define MAXP 64
#define MAXJ 8

struct tcase {
	struct spk_solve_pkg inst[MAXP], avail[MAXP];
	size_t n_inst, n_avail;
	struct spk_job jobs[MAXJ];
	size_t n_jobs;
	unsigned flags;
	const char *want_install, *want_remove, *want_error;
	bool has_install, has_remove;
};

static char *trim(char *s)
{
	char *end;

	while (*s == ' ' || *s == '\t')
		s++;
	end = s + strlen(s);
	while (end > s && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\n' || end[-1] == '\r'))
		*--end = '\0';
	return s;
}

/* Parses text (modified in place; strings point into it). Returns NULL or what is wrong. */
static const char *parse_case(struct tcase *t, char *text)
{
	struct spk_solve_pkg *last = NULL;
	char *line, *next;

	memset(t, 0, sizeof(*t));
	for (line = text; line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		bool indented = *line == ' ' || *line == '\t';
		char *s = trim(line), *arg;

		if (!*s || *s == '#')
			continue;
		arg = strpbrk(s, " :");
		if (arg) {
			*arg++ = '\0';
			arg = trim(arg);
			if (*arg == ':')
				arg = trim(arg + 1);
		} else {
			arg = s + strlen(s);
		}
		if (indented) {
			if (!last)
				return "relation line before a package";
			if (!strcmp(s, "depends"))
				last->depends = arg;
			else if (!strcmp(s, "provides"))
				last->provides = arg;
			else if (!strcmp(s, "conflicts"))
				last->conflicts = arg;
			else if (!strcmp(s, "replaces"))
				last->replaces = arg;
			else
				return "unknown relation";
			continue;
		}
		if (!strcmp(s, "installed") || !strcmp(s, "available")) {
			bool is_inst = *s == 'i';
			size_t *n = is_inst ? &t->n_inst : &t->n_avail;
			char *name = arg, *ver, *repo;

			if (*n >= MAXP)
				return "too many packages";
			last = is_inst ? &t->inst[(*n)++] : &t->avail[(*n)++];
			ver = strchr(name, ' ');
			if (!ver)
				return "package without a version";
			*ver++ = '\0';
			ver = trim(ver);
			repo = strchr(ver, ' ');
			if (repo)
				*repo++ = '\0';
			last->name = name;
			last->version = ver;
			last->arch = "noarch";
			last->depends = last->provides = last->conflicts = last->replaces = "";
			last->repo = is_inst ? -1 : (repo ? (int)strtol(trim(repo), NULL, 10) : 0);
			last->user = last;
			continue;
		}
		last = NULL;
		if (!strcmp(s, "install") || !strcmp(s, "remove") || !strcmp(s, "upgrade") ||
		    !strcmp(s, "upgrade-all")) {
			struct spk_job *j;

			if (t->n_jobs >= MAXJ)
				return "too many jobs";
			j = &t->jobs[t->n_jobs++];
			j->kind = !strcmp(s, "install")	  ? SPK_JOB_INSTALL
				  : !strcmp(s, "remove")  ? SPK_JOB_REMOVE
				  : !strcmp(s, "upgrade") ? SPK_JOB_UPGRADE
							  : SPK_JOB_UPGRADE_ALL;
			j->target = j->kind == SPK_JOB_UPGRADE_ALL ? NULL : arg;
		} else if (!strcmp(s, "cascade")) {
			t->flags |= SPK_SOLVE_CASCADE;
		} else if (!strcmp(s, "expect-install")) {
			t->want_install = arg;
			t->has_install = true;
		} else if (!strcmp(s, "expect-remove")) {
			t->want_remove = arg;
			t->has_remove = true;
		} else if (!strcmp(s, "expect-error")) {
			t->want_error = arg;
		} else {
			return "unknown line";
		}
	}
	if (!t->n_jobs)
		return "no job";
	if (!t->want_error && (!t->has_install || !t->has_remove))
		return "needs expect-install and expect-remove, or expect-error";
	return NULL;
}

static void list_text(const struct spk_solve_pkg **v, size_t n, char *buf, size_t size)
{
	size_t len = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < n && len < size; i++) {
		int k = snprintf(buf + len, size - len, "%s%s-%s", i ? ", " : "", v[i]->name,
				 v[i]->version);

		if (k < 0)
			break;
		len += (size_t)k;
	}
}

static const char *code_name(int code)
{
	return code == -SPK_EDEPENDS	? "EDEPENDS"
	       : code == -SPK_ENOTFOUND ? "ENOTFOUND"
	       : code == -SPK_EFORMAT	? "EFORMAT"
	       : code == -SPK_EUSAGE	? "EUSAGE"
					: "other";
}

static void run_case(const char *dir, const char *file)
{
	char path[PATH_MAX], got_i[2048], got_r[2048], *text;
	struct tcase t;
	struct spk_solve_result res;
	struct spk_err e = { 0 };
	const char *bad;
	FILE *f;
	int r;

	if (snprintf(path, sizeof(path), "%s/%s", dir, file) >= (int)sizeof(path)) {
		unit_check(0, "%s: path too long", file);
		return;
	}
	f = fopen(path, "r");
	text = calloc(1, 65536);
	if (!f || !text || fread(text, 1, 65535, f) == 0) {
		unit_check(0, "%s: read", file);
		if (f)
			fclose(f);
		free(text);
		return;
	}
	fclose(f);
	bad = parse_case(&t, text);
	if (bad) {
		unit_check(0, "%s: %s", file, bad);
		free(text);
		return;
	}
	r = spk_solve(t.inst, t.n_inst, t.avail, t.n_avail, t.jobs, t.n_jobs, t.flags, &res, &e);
	if (t.want_error) {
		char code[32], *sub;

		snprintf(code, sizeof(code), "%s", t.want_error);
		sub = strchr(code, ' ');
		if (sub)
			*sub = '\0';
		sub = strchr(t.want_error, ' ');
		sub = sub ? trim(sub) : (char *)"";
		unit_check(r < 0 && !strcmp(code_name(r), code) && strstr(spk_err_why(&e), sub),
			   "%s: %s (got %s: %s: %s)", file, t.want_error, r < 0 ? code_name(r) : "ok",
			   e.what, spk_err_why(&e));
		if (r == 0)
			spk_solve_result_release(&res);
	} else if (r < 0) {
		unit_check(0, "%s: unexpected %s: %s: %s", file, code_name(r), e.what,
			   spk_err_why(&e));
	} else {
		list_text(res.install, res.n_install, got_i, sizeof(got_i));
		list_text(res.remove, res.n_remove, got_r, sizeof(got_r));
		unit_check(!strcmp(got_i, t.want_install) && !strcmp(got_r, t.want_remove),
			   "%s: install [%s] remove [%s] (want [%s] [%s])", file, got_i, got_r,
			   t.want_install, t.want_remove);
		spk_solve_result_release(&res);
	}
	free(text);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void data_dir(char *buf, size_t size)
{
	const char *src = getenv("SRC"), *file = __FILE__, *slash = strrchr(file, '/');
	int dirlen = slash ? (int)(slash - file) : 0;
	char exe[PATH_MAX];
	ssize_t n;

	if (src && *src) {
		snprintf(buf, size, "%s/tests/data/solve", src);
		return;
	}
	/* build/tests/test-solve, __FILE__ relative to build/: "../tests/libspk/solve.c" */
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	exe[n > 0 ? n : 0] = '\0';
	if (file[0] == '/' || n <= 0 || !strrchr(exe, '/')) {
		snprintf(buf, size, "%.*s/../data/solve", dirlen, file);
		return;
	}
	*strrchr(exe, '/') = '\0';
	if (snprintf(buf, size, "%s/../%.*s/../data/solve", exe, dirlen, file) >= (int)size)
		buf[0] = '\0';
}

int main(void)
{
	char dir[PATH_MAX];
	char *names[512];
	size_t n = 0;
	struct dirent *de;
	DIR *d;

	test_versions();
	data_dir(dir, sizeof(dir));
	d = opendir(dir);
	unit_check(d != NULL, "open %s", dir);
	while (d && (de = readdir(d)) && n < 512) {
		size_t len = strlen(de->d_name);

		if (len > 5 && !strcmp(de->d_name + len - 5, ".case"))
			names[n++] = strdup(de->d_name);
	}
	if (d)
		closedir(d);
	qsort(names, n, sizeof(*names), cmp_str);
	unit_check(n >= 30, "%zu resolution cases", n);
	for (size_t i = 0; i < n; i++) {
		run_case(dir, names[i]);
		free(names[i]);
	}
	return unit_done();
}
