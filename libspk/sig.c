/* How minisign keys and signatures are read, written, made and checked (see sig.h). */
#include "libspk/sig.h"

#include "libspk/buf.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define UNTRUSTED "untrusted comment: "
#define TRUSTED "trusted comment: "

/* Binary layouts, byte offsets (minisign.h's structs, which are all byte arrays). */
#define PUB_BYTES (2 + 8 + 32)
#define SIG_BYTES (2 + 8 + 64)
#define SEC_ALG 0
#define SEC_KDF 2
#define SEC_CHK_ALG 4
#define SEC_SALT 6
#define SEC_KEYID (6 + 32 + 8 + 8)
#define SEC_SK (SEC_KEYID + 8)
#define SEC_CHK (SEC_SK + 64)
#define SEC_BYTES (SEC_CHK + 32)

int spk_sig_init(struct spk_err *e)
{
	if (sodium_init() < 0)
		return spk_fail(e, -ENOSYS, "libsodium", "cannot initialise");
	return 0;
}

void spk_sig_keyid_format(const uint8_t keyid[SPK_SIG_KEYID_BYTES], char *buf)
{
	static const char hex[] = "0123456789ABCDEF";

	/* minisign prints the key ID as a little-endian 64-bit number */
	for (int i = 0; i < SPK_SIG_KEYID_BYTES; i++) {
		buf[2 * i] = hex[keyid[SPK_SIG_KEYID_BYTES - 1 - i] >> 4];
		buf[2 * i + 1] = hex[keyid[SPK_SIG_KEYID_BYTES - 1 - i] & 15];
	}
	buf[2 * SPK_SIG_KEYID_BYTES] = '\0';
}

int spk_sig_keygen(struct spk_sig_pubkey *pub, struct spk_sig_seckey *sec, struct spk_err *e)
{
	int r = spk_sig_init(e);

	if (r < 0)
		return r;
	randombytes_buf(sec->keyid, sizeof(sec->keyid));
	crypto_sign_keypair(pub->pk, sec->sk);
	memcpy(pub->keyid, sec->keyid, sizeof(pub->keyid));
	return 0;
}

void spk_sig_seckey_public(const struct spk_sig_seckey *sec, struct spk_sig_pubkey *pub)
{
	memcpy(pub->keyid, sec->keyid, sizeof(pub->keyid));
	crypto_sign_ed25519_sk_to_pk(pub->pk, sec->sk);
}

/* Appends "PREFIXcomment\n" + base64(bin) + "\n". */
static int add_b64_line(struct spk_buf *out, const uint8_t *bin, size_t n)
{
	char b64[512];

	sodium_bin2base64(b64, sizeof(b64), bin, n, sodium_base64_VARIANT_ORIGINAL);
	if (spk_buf_adds(out, b64) < 0)
		return -ENOMEM;
	return spk_buf_addc(out, '\n');
}

int spk_sig_pubkey_format(const struct spk_sig_pubkey *pub, struct spk_buf *out)
{
	uint8_t bin[PUB_BYTES];
	char id[17];
	int r;

	memcpy(bin, "Ed", 2);
	memcpy(bin + 2, pub->keyid, 8);
	memcpy(bin + 10, pub->pk, 32);
	spk_sig_keyid_format(pub->keyid, id);
	r = spk_buf_addf(out, UNTRUSTED "minisign public key %s\n", id);
	return r < 0 ? r : add_b64_line(out, bin, sizeof(bin));
}

static void seckey_chk(const uint8_t *bin, uint8_t chk[32])
{
	crypto_generichash_state hs;

	/* BLAKE2b-256 of alg || keyid || sk, as minisign computes it */
	crypto_generichash_init(&hs, NULL, 0, 32);
	crypto_generichash_update(&hs, bin + SEC_ALG, 2);
	crypto_generichash_update(&hs, bin + SEC_KEYID, 8);
	crypto_generichash_update(&hs, bin + SEC_SK, 64);
	crypto_generichash_final(&hs, chk, 32);
}

int spk_sig_seckey_format(const struct spk_sig_seckey *sec, struct spk_buf *out)
{
	uint8_t bin[SEC_BYTES] = {0};
	char id[17];
	int r;

	/* kdf "\0\0" with zero salt and limits: unencrypted, like `minisign -G -W` */
	memcpy(bin + SEC_ALG, "Ed", 2);
	memcpy(bin + SEC_CHK_ALG, "B2", 2);
	memcpy(bin + SEC_KEYID, sec->keyid, 8);
	memcpy(bin + SEC_SK, sec->sk, 64);
	seckey_chk(bin, bin + SEC_CHK);
	spk_sig_keyid_format(sec->keyid, id);
	r = spk_buf_addf(out, UNTRUSTED "spk unencrypted secret key %s\n", id);
	if (r == 0)
		r = add_b64_line(out, bin, sizeof(bin));
	sodium_memzero(bin, sizeof(bin));
	return r;
}

/* A cursor over lines of text; a line ends at "\n" (a "\r" before it is dropped). */
struct lines {
	const char *p, *end;
};

/* Returns the next line's length in *n and its start, or NULL at the end. */
static const char *next_line(struct lines *ls, size_t *n)
{
	const char *s = ls->p, *nl;

	if (s >= ls->end)
		return NULL;
	nl = memchr(s, '\n', (size_t)(ls->end - s));
	*n = nl ? (size_t)(nl - s) : (size_t)(ls->end - s);
	ls->p = nl ? nl + 1 : ls->end;
	if (*n && s[*n - 1] == '\r')
		(*n)--;
	return s;
}

static bool has_prefix(const char *s, size_t n, const char *prefix)
{
	size_t pn = strlen(prefix);

	return n >= pn && !memcmp(s, prefix, pn);
}

/* Decodes one base64 line into exactly want bytes. */
static bool b64_exact(const char *s, size_t n, uint8_t *bin, size_t want)
{
	size_t got;
	const char *end;

	/* minisign tolerates trailing blanks after the base64 */
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	if (n == 0 || n > 4 * ((want + 2) / 3))
		return false;
	if (sodium_base642bin(bin, want, s, n, NULL, &got, &end, sodium_base64_VARIANT_ORIGINAL))
		return false;
	return got == want && end == s + n;
}

static int malformed(struct spk_err *e, const char *what, const char *why)
{
	return spk_fail(e, -SPK_EFORMAT, what, "%s", why);
}

/* Reads the untrusted comment line and the base64 line of a key file into bin. */
static int key_lines(const char *text, size_t len, uint8_t *bin, size_t want, const char *what,
                     const char *kind, struct spk_err *e)
{
	struct lines ls = {text, text + len};
	const char *l;
	size_t n;

	l = next_line(&ls, &n);
	if (!l || !has_prefix(l, n, UNTRUSTED))
		return spk_fail(e, -SPK_EFORMAT, what, "not a minisign %s: no '%s' line", kind,
		                "untrusted comment:");
	l = next_line(&ls, &n);
	if (!l || !b64_exact(l, n, bin, want))
		return spk_fail(e, -SPK_EFORMAT, what, "not a minisign %s: bad base64 key line",
		                kind);
	return 0;
}

int spk_sig_pubkey_parse(struct spk_sig_pubkey *pub, const char *text, size_t len, const char *what,
                         struct spk_err *e)
{
	uint8_t bin[PUB_BYTES];
	int r = key_lines(text, len, bin, sizeof(bin), what, "public key", e);

	if (r < 0)
		return r;
	if (memcmp(bin, "Ed", 2))
		return malformed(e, what, "unsupported public key algorithm (expected Ed25519)");
	memcpy(pub->keyid, bin + 2, 8);
	memcpy(pub->pk, bin + 10, 32);
	return 0;
}

int spk_sig_seckey_parse(struct spk_sig_seckey *sec, const char *text, size_t len, const char *what,
                         struct spk_err *e)
{
	uint8_t bin[SEC_BYTES], chk[32], pk[32], sk2[64];
	int r;

	r = spk_sig_init(e);
	if (r < 0)
		return r;
	r = key_lines(text, len, bin, sizeof(bin), what, "secret key", e);
	if (r < 0)
		goto out;
	if (memcmp(bin + SEC_ALG, "Ed", 2)) {
		r = malformed(e, what, "unsupported secret key algorithm (expected Ed25519)");
	} else if (memcmp(bin + SEC_CHK_ALG, "B2", 2)) {
		r = malformed(e, what, "unsupported secret key checksum (expected BLAKE2b)");
	} else if (!memcmp(bin + SEC_KDF, "Sc", 2)) {
		r = malformed(
		    e, what,
		    "encrypted secret key (spk never prompts; make one with minisign -G -W "
		    "or spk keygen)");
	} else if (memcmp(bin + SEC_KDF, "\0\0", 2)) {
		r = malformed(e, what, "unsupported key derivation function");
	} else {
		/* minisign leaves the checksum of an unencrypted key zero; spk fills it in */
		seckey_chk(bin, chk);
		/* the public half stored in sk must be the one its seed makes */
		crypto_sign_seed_keypair(pk, sk2, bin + SEC_SK);
		r = 0;
		if (sodium_memcmp(bin + SEC_CHK, chk, 32) && !sodium_is_zero(bin + SEC_CHK, 32))
			r = malformed(e, what, "secret key checksum mismatch (damaged key file)");
		else if (sodium_memcmp(bin + SEC_SK + 32, pk, 32))
			r = malformed(e, what, "secret key does not match its public half");
		sodium_memzero(sk2, sizeof(sk2));
	}
	if (r == 0) {
		memcpy(sec->keyid, bin + SEC_KEYID, 8);
		memcpy(sec->sk, bin + SEC_SK, 64);
	}
out:
	sodium_memzero(bin, sizeof(bin));
	return r;
}

/* Reads a small file (ceiling SPK_SIG_FILE_MAX) into b. */
static int read_small(struct spk_buf *b, int dirfd, const char *path, struct spk_err *e)
{
	int fd, r;

	spk_buf_init(b, SPK_SIG_FILE_MAX);
	fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return spk_fail(e, -errno, path, NULL);
	r = spk_buf_read_fd(b, fd);
	close(fd);
	if (r == -EFBIG)
		return spk_fail(e, -SPK_EFORMAT, path, "larger than %d bytes", SPK_SIG_FILE_MAX);
	if (r < 0)
		return spk_fail(e, r, path, NULL);
	return 0;
}

int spk_sig_pubkey_load(struct spk_sig_pubkey *pub, int dirfd, const char *path, struct spk_err *e)
{
	struct spk_buf b;
	int r = read_small(&b, dirfd, path, e);

	if (r == 0)
		r = spk_sig_pubkey_parse(pub, b.data ? b.data : "", b.len, path, e);
	spk_buf_release(&b);
	return r;
}

int spk_sig_seckey_load(struct spk_sig_seckey *sec, int dirfd, const char *path, struct spk_err *e)
{
	struct spk_buf b;
	int r = read_small(&b, dirfd, path, e);

	if (r == 0)
		r = spk_sig_seckey_parse(sec, b.data ? b.data : "", b.len, path, e);
	if (b.data)
		sodium_memzero(b.data, b.len);
	spk_buf_release(&b);
	return r;
}

int spk_sig_keyring_add(struct spk_sig_keyring *kr, const struct spk_sig_pubkey *pub)
{
	struct spk_sig_pubkey *k = reallocarray(kr->keys, kr->n + 1, sizeof(*k));

	if (!k)
		return -ENOMEM;
	kr->keys = k;
	kr->keys[kr->n++] = *pub;
	return 0;
}

void spk_sig_keyring_release(struct spk_sig_keyring *kr)
{
	free(kr->keys);
	kr->keys = NULL;
	kr->n = 0;
}

const struct spk_sig_pubkey *spk_sig_keyring_find(const struct spk_sig_keyring *kr,
                                                  const uint8_t keyid[SPK_SIG_KEYID_BYTES])
{
	for (size_t i = 0; i < kr->n; i++)
		if (!memcmp(kr->keys[i].keyid, keyid, SPK_SIG_KEYID_BYTES))
			return &kr->keys[i];
	return NULL;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int spk_sig_keyring_load(struct spk_sig_keyring *kr, int rootfd, struct spk_err *e)
{
	char **names = NULL, path[512];
	size_t n = 0;
	struct dirent *de;
	DIR *d;
	int fd, r = 0;

	kr->keys = NULL;
	kr->n = 0;
	fd = openat(rootfd, SPK_SIG_KEYS_DIR, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT)
			return 0;
		return spk_fail(e, -errno, SPK_SIG_KEYS_DIR, NULL);
	}
	d = fdopendir(fd);
	if (!d) {
		r = spk_fail(e, -errno, SPK_SIG_KEYS_DIR, NULL);
		close(fd);
		return r;
	}
	while ((de = readdir(d))) {
		size_t len = strlen(de->d_name);
		char **nn;

		if (de->d_name[0] == '.' || len < 5 || strcmp(de->d_name + len - 4, ".pub"))
			continue;
		nn = reallocarray(names, n + 1, sizeof(*names));
		if (!nn || !(nn[n] = strdup(de->d_name))) {
			names = nn ? nn : names;
			r = spk_fail(e, -ENOMEM, SPK_SIG_KEYS_DIR, NULL);
			goto out;
		}
		names = nn;
		n++;
	}
	if (n)
		qsort(names, n, sizeof(*names), cmp_names);
	for (size_t i = 0; i < n; i++) {
		struct spk_sig_pubkey k;

		snprintf(path, sizeof(path), "%s/%s", SPK_SIG_KEYS_DIR, names[i]);
		r = spk_sig_pubkey_load(&k, rootfd, path, e);
		if (r < 0)
			goto out;
		r = spk_sig_keyring_add(kr, &k);
		if (r < 0) {
			spk_fail(e, r, path, NULL);
			goto out;
		}
	}
out:
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	closedir(d);
	if (r < 0)
		spk_sig_keyring_release(kr);
	return r;
}

static bool comment_ok(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		/* printable, tab allowed (minisign's default comment uses tabs), UTF-8 bytes too */
		if ((c < 0x20 && c != '\t') || c == 0x7f)
			return false;
	}
	return true;
}

int spk_sig_parse(struct spk_sig *sig, const char *text, size_t len, const char *what,
                  struct spk_err *e)
{
	struct lines ls = {text, text + len};
	uint8_t bin[SIG_BYTES];
	const char *l;
	size_t n, pn = strlen(TRUSTED);

	l = next_line(&ls, &n);
	if (!l || !has_prefix(l, n, UNTRUSTED))
		return malformed(e, what, "not a minisign signature: no 'untrusted comment:' line");
	l = next_line(&ls, &n);
	if (!l || !b64_exact(l, n, bin, sizeof(bin)))
		return malformed(e, what, "not a minisign signature: bad base64 signature line");
	if (!memcmp(bin, "ED", 2))
		sig->prehashed = true;
	else if (!memcmp(bin, "Ed", 2))
		sig->prehashed = false;
	else
		return malformed(e, what, "unsupported signature algorithm");
	memcpy(sig->keyid, bin + 2, 8);
	memcpy(sig->sig, bin + 10, 64);
	l = next_line(&ls, &n);
	if (!l || !has_prefix(l, n, TRUSTED))
		return malformed(e, what, "no 'trusted comment:' line");
	if (n - pn >= sizeof(sig->comment))
		return malformed(e, what, "trusted comment too long");
	if (!comment_ok(l + pn, n - pn))
		return malformed(e, what, "trusted comment has control characters");
	memcpy(sig->comment, l + pn, n - pn);
	sig->comment[n - pn] = '\0';
	l = next_line(&ls, &n);
	if (!l || !b64_exact(l, n, sig->global_sig, 64))
		return malformed(e, what, "bad base64 trusted comment signature line");
	/* anything after the four lines is ignored, as minisign does */
	return 0;
}

int spk_sig_format(const struct spk_sig *sig, struct spk_buf *out)
{
	uint8_t bin[SIG_BYTES];
	char id[17];
	int r;

	memcpy(bin, sig->prehashed ? "ED" : "Ed", 2);
	memcpy(bin + 2, sig->keyid, 8);
	memcpy(bin + 10, sig->sig, 64);
	spk_sig_keyid_format(sig->keyid, id);
	r = spk_buf_addf(out, UNTRUSTED "signature from spk secret key %s\n", id);
	if (r == 0)
		r = add_b64_line(out, bin, sizeof(bin));
	if (r == 0)
		r = spk_buf_addf(out, TRUSTED "%s\n", sig->comment);
	if (r == 0)
		r = add_b64_line(out, sig->global_sig, 64);
	return r;
}

/* The signed global message: sig || trusted comment. */
static int global_msg(const struct spk_sig *sig, uint8_t *buf, size_t *n)
{
	size_t cn = strlen(sig->comment);

	memcpy(buf, sig->sig, 64);
	memcpy(buf + 64, sig->comment, cn);
	*n = 64 + cn;
	return 0;
}

/* Fills sig from the signed message (the file, or its BLAKE2b-512 when prehashed). */
static int sign_msg(struct spk_sig *sig, const struct spk_sig_seckey *sec, const void *msg,
                    size_t len, bool prehashed, const char *comment, struct spk_err *e)
{
	uint8_t gm[64 + SPK_SIG_COMMENT_MAX];
	size_t cn = strlen(comment), gn;

	if (cn >= sizeof(sig->comment) || !comment_ok(comment, cn))
		return spk_fail(e, -EINVAL, "trusted comment", "must be one printable line");
	sig->prehashed = prehashed;
	memcpy(sig->keyid, sec->keyid, 8);
	crypto_sign_detached(sig->sig, NULL, msg, len, sec->sk);
	memcpy(sig->comment, comment, cn + 1);
	global_msg(sig, gm, &gn);
	crypto_sign_detached(sig->global_sig, NULL, gm, gn, sec->sk);
	return 0;
}

int spk_sig_sign(struct spk_sig *sig, const struct spk_sig_seckey *sec, const void *msg, size_t len,
                 bool legacy, const char *comment, struct spk_err *e)
{
	uint8_t hash[crypto_generichash_BYTES_MAX];
	int r = spk_sig_init(e);

	if (r < 0)
		return r;
	if (legacy)
		return sign_msg(sig, sec, msg, len, false, comment, e);
	crypto_generichash(hash, sizeof(hash), msg, len, NULL, 0);
	return sign_msg(sig, sec, hash, sizeof(hash), true, comment, e);
}

int spk_sig_sign_fd(struct spk_sig *sig, const struct spk_sig_seckey *sec, int fd,
                    const char *comment, const char *what, struct spk_err *e)
{
	crypto_generichash_state hs;
	uint8_t hash[crypto_generichash_BYTES_MAX], buf[65536];
	ssize_t n;
	int r = spk_sig_init(e);

	if (r < 0)
		return r;
	crypto_generichash_init(&hs, NULL, 0, sizeof(hash));
	while ((n = read(fd, buf, sizeof(buf))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return spk_fail(e, -errno, what, NULL);
		crypto_generichash_update(&hs, buf, (size_t)n);
	}
	crypto_generichash_final(&hs, hash, sizeof(hash));
	return sign_msg(sig, sec, hash, sizeof(hash), true, comment, e);
}

int spk_sig_default_comment(char *buf, size_t n, const char *path, bool legacy)
{
	const char *base = strrchr(path, '/'), *sde = getenv("SOURCE_DATE_EPOCH");
	unsigned long long ts = (unsigned long long)time(NULL);
	char *end;
	int w;

	base = base ? base + 1 : path;
	if (sde && *sde) {
		errno = 0;
		unsigned long long v = strtoull(sde, &end, 10);

		if (!errno && !*end)
			ts = v;
	}
	w = snprintf(buf, n, "timestamp:%llu\tfile:%s%s", ts, base, legacy ? "" : "\thashed");
	return w < 0 || (size_t)w >= n ? -ENAMETOOLONG : 0;
}

int spk_sig_verify(const struct spk_sig_keyring *kr, const void *msg, size_t len,
                   const char *sigtext, size_t siglen, const char *what, struct spk_sig *out,
                   struct spk_err *e)
{
	uint8_t hash[crypto_generichash_BYTES_MAX], gm[64 + SPK_SIG_COMMENT_MAX];
	const struct spk_sig_pubkey *k;
	struct spk_sig sig;
	char id[17];
	size_t gn;
	int r = spk_sig_init(e);

	if (r < 0)
		return r;
	r = spk_sig_parse(&sig, sigtext, siglen, what, e);
	if (r < 0)
		return r;
	k = spk_sig_keyring_find(kr, sig.keyid);
	if (!k) {
		spk_sig_keyid_format(sig.keyid, id);
		return spk_fail(e, -SPK_ESIGNATURE, what,
		                "unknown key ID %s (not among the %zu trusted keys)", id, kr->n);
	}
	if (sig.prehashed) {
		crypto_generichash(hash, sizeof(hash), msg, len, NULL, 0);
		r = crypto_sign_verify_detached(sig.sig, hash, sizeof(hash), k->pk);
	} else {
		r = crypto_sign_verify_detached(sig.sig, msg, len, k->pk);
	}
	if (r != 0)
		return spk_fail(e, -SPK_ESIGNATURE, what, "bad signature");
	global_msg(&sig, gm, &gn);
	if (crypto_sign_verify_detached(sig.global_sig, gm, gn, k->pk) != 0)
		return spk_fail(e, -SPK_ESIGNATURE, what, "bad trusted comment signature");
	if (out)
		*out = sig;
	return 0;
}
