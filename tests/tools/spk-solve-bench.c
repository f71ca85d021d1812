/* Resolver benchmark driver (bench/bench_resolve.sh): reads an SPKINDEX text file, then times,
 * RUNS times, (a) spk_solve() from the parsed index (libsolv pool built + solved) and (b) the
 * index parse plus (a), for installing TARGET into an empty system.
 * Prints: "TARGET N_INSTALL solve_median_ms parse_solve_median_ms min_ms max_ms".
 * Usage: spk-solve-bench SPKINDEX TARGET RUNS */
#include "libspk/index.h"
#include "libspk/solve.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* One resolution of target from ix; returns the number of packages to install or -1. */
static long solve_once(const struct spk_index *ix, const char *target)
{
	struct spk_solve_pkg *avail = calloc(ix->n + 1, sizeof(*avail));
	struct spk_job job = { SPK_JOB_INSTALL, target };
	struct spk_solve_result res;
	struct spk_err e = { 0 };
	long n;

	if (!avail)
		return -1;
	for (size_t i = 0; i < ix->n; i++) {
		const struct spk_index_entry *x = &ix->entries[i];

		avail[i] = (struct spk_solve_pkg){ x->name,	 x->version,   x->arch,
						   x->depends,	 x->provides,  x->conflicts,
						   x->replaces, 0,	      (void *)x };
	}
	if (spk_solve(NULL, 0, avail, ix->n, &job, 1, 0, &res, &e) < 0) {
		fprintf(stderr, "spk-solve-bench: %s: %s\n", e.what, spk_err_why(&e));
		free(avail);
		return -1;
	}
	n = (long)res.n_install;
	spk_solve_result_release(&res);
	free(avail);
	return n;
}

int main(int argc, char **argv)
{
	struct spk_index ix = { 0 };
	struct spk_err e = { 0 };
	char *text = NULL;
	size_t len = 0, cap = 0;
	double *solve_t, *both_t;
	long runs, n = -1;
	char *end;
	FILE *f;

	if (argc != 4 || (runs = strtol(argv[3], &end, 10)) < 1 || *end) {
		fprintf(stderr, "usage: spk-solve-bench SPKINDEX TARGET RUNS\n");
		return 2;
	}
	f = fopen(argv[1], "r");
	if (!f) {
		fprintf(stderr, "spk-solve-bench: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	for (;;) {
		if (len == cap) {
			char *t = realloc(text, cap = cap ? cap * 2 : 1 << 20);

			if (!t)
				return 1;
			text = t;
		}
		size_t k = fread(text + len, 1, cap - len, f);

		if (k == 0)
			break;
		len += k;
	}
	fclose(f);
	solve_t = calloc((size_t)runs, sizeof(*solve_t));
	both_t = calloc((size_t)runs, sizeof(*both_t));
	if (!solve_t || !both_t)
		return 1;
	for (long r = 0; r < runs; r++) {
		double t0 = now_ms(), t1, t2;

		if (spk_index_parse(&ix, text, len, argv[1], &e) < 0) {
			fprintf(stderr, "spk-solve-bench: %s: %s\n", e.what, spk_err_why(&e));
			return 1;
		}
		t1 = now_ms();
		n = solve_once(&ix, argv[2]);
		t2 = now_ms();
		spk_index_release(&ix);
		if (n < 0)
			return 1;
		solve_t[r] = t2 - t1;
		both_t[r] = t2 - t0;
	}
	qsort(solve_t, (size_t)runs, sizeof(double), cmp_double);
	qsort(both_t, (size_t)runs, sizeof(double), cmp_double);
	printf("%s %ld %.2f %.2f %.2f %.2f\n", argv[2], n, solve_t[runs / 2], both_t[runs / 2],
	       solve_t[0], solve_t[runs - 1]);
	free(solve_t);
	free(both_t);
	free(text);
	return 0;
}
