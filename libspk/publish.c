/* How a snapshot directory is checked before anything of it is published (see publish.h). */
#include "libspk/publish.h"

#include "libspk/buf.h"
#include "libspk/index.h"
#include "libspk/publish_file.h"
#include "libspk/sig.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int add_file(struct spk_publish_snapshot *s, const char *name, struct spk_err *e)
{
	char **f = reallocarray(s->files, s->n + 1, sizeof(*f));

	if (!f)
		return spk_fail(e, -ENOMEM, name, NULL);
	s->files = f;
	s->files[s->n] = strdup(name);
	if (!s->files[s->n])
		return spk_fail(e, -ENOMEM, name, NULL);
	s->n++;
	return 0;
}

/* The package file must be the one the index describes: same size, same SHA-256. */
static int check_asset(int dirfd, const struct spk_index_entry *en, struct spk_err *e)
{
	crypto_hash_sha256_state st;
	unsigned char buf[65536], sha[32];
	uint64_t size = 0;
	ssize_t n;
	int fd = openat(dirfd, en->asset, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);

	if (fd < 0 && errno == ENOENT)
		return spk_fail(e, -ENOENT, en->asset,
		                "missing (SPKINDEX.xz places it in this snapshot)");
	if (fd < 0)
		return spk_fail(e, -errno, en->asset, NULL);
	crypto_hash_sha256_init(&st);
	while ((n = read(fd, buf, sizeof(buf))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int r = -errno;

			close(fd);
			return spk_fail(e, r, en->asset, NULL);
		}
		crypto_hash_sha256_update(&st, buf, (size_t)n);
		size += (uint64_t)n;
	}
	close(fd);
	crypto_hash_sha256_final(&st, sha);
	if (size != en->size || memcmp(sha, en->sha256, 32))
		return spk_fail(e, -SPK_EMISMATCH, en->asset,
		                "differs from its SPKINDEX.xz entry (size or SHA-256)");
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int spk_publish_open(struct spk_publish_snapshot *s, const char *dir, const char *pubkey_path,
                     struct spk_err *e)
{
	struct spk_buf ch = SPK_BUF_INIT, sig = SPK_BUF_INIT, xz = SPK_BUF_INIT;
	struct spk_index ix = {0};
	struct spk_sig parsed;
	int r;

	memset(s, 0, sizeof(*s));
	s->dirfd = -1;
	s->dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (s->dirfd < 0)
		return spk_fail(e, -errno, dir, NULL);
	r = spk_sig_init(e);
	if (r == 0)
		r = spk_publish_file_read(&ch, s->dirfd, "SPKCHANNEL", SPK_CHANNEL_MAX, e);
	if (r == 0)
		r = spk_channel_parse(&s->channel, ch.data ? ch.data : "", ch.len, "SPKCHANNEL", e);
	if (r == 0) {
		r = spk_publish_file_read(&sig, s->dirfd, "SPKCHANNEL.minisig", SPK_SIG_FILE_MAX,
		                          e);
		if (r == -ENOENT)
			spk_fail(e, r, "SPKCHANNEL.minisig",
			         "missing: an unsigned channel is refused by every client "
			         "(spk index --key, or spk sign --key KEY SPKCHANNEL)");
	}
	if (r == 0 && pubkey_path) {
		struct spk_sig_keyring kr = {0};
		struct spk_sig_pubkey pk;

		r = spk_sig_pubkey_load(&pk, AT_FDCWD, pubkey_path, e);
		if (r == 0 && spk_sig_keyring_add(&kr, &pk) < 0)
			r = spk_fail(e, -ENOMEM, pubkey_path, NULL);
		if (r == 0)
			r = spk_sig_verify(&kr, ch.data, ch.len, sig.data, sig.len, "SPKCHANNEL",
			                   NULL, e);
		spk_sig_keyring_release(&kr);
	} else if (r == 0) {
		r = spk_sig_parse(&parsed, sig.data ? sig.data : "", sig.len, "SPKCHANNEL.minisig",
		                  e);
	}
	if (r == 0)
		r = spk_publish_file_read(&xz, s->dirfd, "SPKINDEX.xz", SPK_INDEX_XZ_MAX, e);
	if (r == 0)
		r = spk_channel_check_index(&s->channel, xz.data ? xz.data : "", xz.len,
		                            "SPKINDEX.xz", e);
	if (r == 0)
		r = spk_index_load_xz(&ix, xz.data ? xz.data : "", xz.len, "SPKINDEX.xz", e);
	for (size_t i = 0; r == 0 && i < ix.n; i++) {
		if (strcmp(ix.entries[i].asset_tag, s->channel.snapshot))
			continue; /* held by an older release */
		r = check_asset(s->dirfd, &ix.entries[i], e);
		if (r == 0)
			r = add_file(s, ix.entries[i].asset, e);
	}
	if (r == 0 && s->n > 1)
		qsort(s->files, s->n, sizeof(*s->files), cmp_str);
	/* the fixed tail of the order: the channel is what makes a snapshot visible, so last */
	if (r == 0)
		r = add_file(s, "SPKINDEX.xz", e);
	if (r == 0)
		r = add_file(s, "SPKCHANNEL.minisig", e);
	if (r == 0)
		r = add_file(s, "SPKCHANNEL", e);
	spk_index_release(&ix);
	spk_buf_release(&ch);
	spk_buf_release(&sig);
	spk_buf_release(&xz);
	if (r < 0)
		spk_publish_release(s);
	return r;
}

void spk_publish_release(struct spk_publish_snapshot *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->files[i]);
	free(s->files);
	s->files = NULL;
	s->n = 0;
	if (s->dirfd >= 0)
		close(s->dirfd);
	s->dirfd = -1;
}
