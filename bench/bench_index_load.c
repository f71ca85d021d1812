/* G7b: the work of `spk update` for one repository, network excluded: verify the SPKCHANNEL
 * signature, accept the channel, check SPKINDEX.xz against Index-SHA256, xz-decompress and parse
 * a 5,000-entry index. Built and run by bench/bench_index.sh. Prints min/median/max of 21 runs. */
#include "libspk/buf.h"
#include "libspk/channel.h"
#include "libspk/index.h"
#include "libspk/sig.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define RUNS 21

static double now_ms(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	size_t n = argc > 1 ? strtoul(argv[1], NULL, 10) : 5000;
	struct spk_index_entry *v = calloc(n, sizeof(*v));
	char(*names)[32] = calloc(n, 32), (*deps)[64] = calloc(n, 64),
	(*assets)[64] = calloc(n, 64);
	struct spk_buf text = SPK_BUF_INIT, xz = SPK_BUF_INIT, ch = SPK_BUF_INIT,
	               sigt = SPK_BUF_INIT;
	struct spk_sig_pubkey pub;
	struct spk_sig_seckey sec;
	struct spk_sig_keyring kr = {0};
	struct spk_channel c = {.repository = "smech/os",
	                        .snapshot = "s1",
	                        .serial = 5,
	                        .date = 1790000000,
	                        .valid_until = 4000000000LL};
	struct spk_channel_state st = {"smech/os", true, 4, NULL, 1790000001};
	struct spk_err e = {0};
	struct spk_sig sig;
	double t[RUNS], cpu[RUNS];

	/* the generator of the resolver benchmark: p_i depends on p_{i/2} and p_{i/3} */
	for (size_t i = 0; i < n; i++) {
		snprintf(names[i], 32, "p%zu", i);
		snprintf(deps[i], 64, i ? "p%zu, p%zu>=1.0" : "", i / 2, i / 3);
		snprintf(assets[i], 64, "p%zu-1.0-r0-x86_64.tar.xz", i);
		v[i] = (struct spk_index_entry){
		    names[i], "1.0-r0",  "x86_64", "a generated package for the benchmark",
		    deps[i],  "",        "",       "",
		    1000 + i, 10000 + i, {0},      assets[i],
		    "s1"};
		crypto_hash_sha256(v[i].sha256, (const unsigned char *)names[i], strlen(names[i]));
	}
	spk_index_sort(v, n);
	if (spk_index_format(v, n, &text, &e) || spk_index_compress(text.data, text.len, &xz, &e) ||
	    spk_sig_keygen(&pub, &sec, &e) || spk_sig_keyring_add(&kr, &pub))
		return fprintf(stderr, "setup: %s: %s\n", e.what, spk_err_why(&e)), 1;
	crypto_hash_sha256(c.index_sha256, (const unsigned char *)xz.data, xz.len);
	spk_channel_format(&c, &ch);
	spk_sig_sign(&sig, &sec, ch.data, ch.len, false, "timestamp:1\tfile:SPKCHANNEL\thashed",
	             &e);
	spk_sig_format(&sig, &sigt);

	for (int r = 0; r < RUNS; r++) {
		struct spk_index ix;
		double t0 = now_ms(CLOCK_MONOTONIC), c0 = now_ms(CLOCK_PROCESS_CPUTIME_ID);

		if (spk_channel_accept(&c, ch.data, ch.len, sigt.data, sigt.len, &kr, &st, "bench",
		                       &e) ||
		    spk_channel_check_index(&c, xz.data, xz.len, "SPKINDEX.xz", &e) ||
		    spk_index_load_xz(&ix, xz.data, xz.len, "SPKINDEX.xz", &e) || ix.n != n)
			return fprintf(stderr, "run: %s: %s\n", e.what, spk_err_why(&e)), 1;
		t[r] = now_ms(CLOCK_MONOTONIC) - t0;
		cpu[r] = now_ms(CLOCK_PROCESS_CPUTIME_ID) - c0;
		spk_index_release(&ix);
	}
	qsort(t, RUNS, sizeof(t[0]), cmp_d);
	qsort(cpu, RUNS, sizeof(cpu[0]), cmp_d);
	printf("spk update work (verify + accept + sha256 + xz + parse), %zu entries, "
	       "index %zu bytes text, %zu bytes xz, %d runs\n"
	       "  wall: min %.2f ms, median %.2f ms, max %.2f ms\n"
	       "  cpu:  min %.2f ms, median %.2f ms, max %.2f ms\n",
	       n, text.len, xz.len, RUNS, t[0], t[RUNS / 2], t[RUNS - 1], cpu[0], cpu[RUNS / 2],
	       cpu[RUNS - 1]);
	spk_buf_release(&text);
	spk_buf_release(&xz);
	spk_buf_release(&ch);
	spk_buf_release(&sigt);
	spk_sig_keyring_release(&kr);
	free(v);
	free(names);
	free(deps);
	free(assets);
	return 0;
}
