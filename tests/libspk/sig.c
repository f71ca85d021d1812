/* minisign keys and signatures: known answers from the real minisign 0.11, round trips, and every
 * way a signature file can be wrong. */
#include "libspk/sig.h"
#include "libspk/buf.h"
#include "tests/lib/unit.h"

#include <errno.h>
#include <string.h>

/* Made with `minisign -G -W`, then `minisign -S` (prehashed) and `minisign -S -l` (legacy) over
 * the 6 bytes "hello\n". */
static const char mpub[] = "untrusted comment: minisign public key CF1C0C285A5C64E9\n"
                           "RWTpZFxaKAwcz8FdJYH24Ci3PR8O1nZyOnvt2rJh9pBqyDD2Laq6klnH\n";
static const char mprehashed[] =
    "untrusted comment: signature from minisign secret key\n"
    "RUTpZFxaKAwczyZWwvM8oHPzfTclz4vwoJga/L8dwCaKI2rjF+sA7PMefn0Q5Hs/tFRRadLlp47DPPkBhiyoo9fi45/"
    "ahyP2Wg4=\n"
    "trusted comment: timestamp:1795587323\tfile:g\thashed\n"
    "V1l/zRTdB2Zpc6cMXF75eGEoju1J9QZHXylj9/mxHpd5YYRI6pC76THymQqZxGbPtEw6Ly8EKisuce8y8lJSBw==\n";
static const char mlegacy[] =
    "untrusted comment: signature from minisign secret key\n"
    "RWTpZFxaKAwcz8U4hxECSvd96xZqnZqWvU+aZ/NlrXzavW3iCsZLNWl/"
    "703dZkm3WiO7IFyOyKhcOaXG2adI6zf6LeLjfEt5OAM=\n"
    "trusted comment: timestamp:1795587323\tfile:f\n"
    "B+COGCqJF6Hho0FNSRqXFzU4Xe8c6tZIv0cQ7xOWrxoS5y1w5MFeSm+mFvBlq+zkrKnTFfYvj99Us++CtIQqBQ==\n";
/* An unencrypted minisign secret key (checksum left zero, as minisign -W writes it). */
static const char msec[] =
    "untrusted comment: minisign encrypted secret key\n"
    "RWQAAEIyAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA6WRcWigMHM9G/"
    "Np6INhdcT0c"
    "s8nKlgo/"
    "vmWl9+wuXTKSiy2KvogCusFdJYH24Ci3PR8O1nZyOnvt2rJh9pBqyDD2Laq6klnHAAAAAAAAAAAAAAAAAAAAAAAA"
    "AAAAAAAAAAAAAAAAAAA=\n";

struct vcase {
	const char *title;
	const char *msg;
	const char *sig;
	int code;
	const char *why; /* substring of the reason, or NULL */
};

static char *replace(const char *s, const char *from, const char *to, char *buf, size_t n)
{
	const char *p = strstr(s, from);

	snprintf(buf, n, "%.*s%s%s", (int)(p - s), s, to, p + strlen(from));
	return buf;
}

int main(void)
{
	struct spk_sig_keyring kr = {0}, other = {0};
	struct spk_sig_pubkey pub, pub2, pub3;
	struct spk_sig_seckey sec, sec2;
	struct spk_err e = {0};
	struct spk_buf b = SPK_BUF_INIT;
	struct spk_sig sig;
	char t1[1024], t2[1024], t3[1024], t4[1024], id[17];
	int r;

	unit_check(spk_sig_pubkey_parse(&pub, mpub, strlen(mpub), "m.pub", &e) == 0,
	           "minisign public key parses");
	spk_sig_keyid_format(pub.keyid, id);
	unit_check(!strcmp(id, "CF1C0C285A5C64E9"), "key ID shown as minisign does (%s)", id);
	spk_sig_keyring_add(&kr, &pub);

	const struct vcase cases[] = {
	    {"minisign prehashed signature verifies", "hello\n", mprehashed, 0, NULL},
	    {"minisign legacy signature verifies", "hello\n", mlegacy, 0, NULL},
	    {"changed message refused", "hellO\n", mprehashed, -SPK_ESIGNATURE, "bad signature"},
	    {"changed message refused (legacy)", "hello", mlegacy, -SPK_ESIGNATURE,
	     "bad signature"},
	    {"changed trusted comment refused", "hello\n",
	     replace(mprehashed, "file:g", "file:h", t1, sizeof(t1)), -SPK_ESIGNATURE,
	     "trusted comment"},
	    {"legacy signature relabelled as prehashed refused", "hello\n",
	     replace(mlegacy, "RWTp", "RUTp", t2, sizeof(t2)), -SPK_ESIGNATURE, "bad signature"},
	    {"no trusted comment line", "hello\n",
	     replace(mprehashed, "trusted comment: ", "trusted: ", t3, sizeof(t3)), -SPK_EFORMAT,
	     "trusted comment"},
	    {"empty signature file", "hello\n", "", -SPK_EFORMAT, "untrusted comment"},
	    {"bad base64", "hello\n", replace(mprehashed, "RUTp", "R!Tp", t4, sizeof(t4)),
	     -SPK_EFORMAT, "base64"},
	    {"three lines only", "hello\n",
	     "untrusted comment: "
	     "x\nRUTpZFxaKAwczyZWwvM8oHPzfTclz4vwoJga/L8dwCaKI2rjF+sA7PMefn0Q5Hs/"
	     "tFRRadLlp47DPPkBhiyoo9fi45/ahyP2Wg4=\ntrusted comment: x\n",
	     -SPK_EFORMAT, "trusted comment signature"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct vcase *c = &cases[i];

		spk_err_clear(&e);
		r = spk_sig_verify(&kr, c->msg, strlen(c->msg), c->sig, strlen(c->sig), "msg", NULL,
		                   &e);
		unit_check(r == c->code && (!c->why || strstr(e.why, c->why)), "%s (r=%d: %s)",
		           c->title, r, e.why);
	}

	/* the unknown-key case: a ring without minisign's key */
	spk_err_clear(&e);
	r = spk_sig_verify(&other, "hello\n", 6, mprehashed, strlen(mprehashed), "msg", NULL, &e);
	unit_check(r == -SPK_ESIGNATURE && strstr(e.why, "unknown key ID CF1C0C285A5C64E9"),
	           "signature by an untrusted key: %s", e.why);

	/* minisign's unencrypted secret key loads, and signs what its public key verifies */
	unit_check(spk_sig_seckey_parse(&sec, msec, strlen(msec), "m.key", &e) == 0,
	           "minisign -W secret key parses: %s", e.why);
	spk_sig_seckey_public(&sec, &pub2);
	unit_check(!memcmp(&pub2, &pub, sizeof(pub)), "its public half is the .pub's key");
	unit_check(spk_sig_sign(&sig, &sec, "hello\n", 6, false, "c", &e) == 0 &&
	               spk_sig_format(&sig, &b) == 0 &&
	               spk_sig_verify(&kr, "hello\n", 6, b.data, b.len, "msg", NULL, &e) == 0,
	           "spk signs with minisign's key, verifies");
	spk_buf_reset(&b);

	/* spk's own keys: format, parse back, sign both ways */
	unit_check(spk_sig_keygen(&pub3, &sec2, &e) == 0, "keygen");
	unit_check(spk_sig_seckey_format(&sec2, &b) == 0 &&
	               spk_sig_seckey_parse(&sec, b.data, b.len, "k", &e) == 0 &&
	               !memcmp(&sec, &sec2, sizeof(sec)),
	           "secret key round trip");
	b.data[b.len - 5] ^= 1; /* inside the checksum */
	spk_err_clear(&e);
	unit_check(spk_sig_seckey_parse(&sec, b.data, b.len, "k", &e) == -SPK_EFORMAT,
	           "damaged secret key refused: %s", e.why);
	spk_buf_reset(&b);
	unit_check(spk_sig_pubkey_format(&pub3, &b) == 0 &&
	               spk_sig_pubkey_parse(&pub2, b.data, b.len, "p", &e) == 0 &&
	               !memcmp(&pub2, &pub3, sizeof(pub2)),
	           "public key round trip");
	spk_buf_reset(&b);
	spk_sig_keyring_add(&kr, &pub3);
	for (int legacy = 0; legacy < 2; legacy++) {
		unit_check(
		    spk_sig_sign(&sig, &sec2, "data", 4, legacy, "timestamp:1\tfile:x", &e) == 0 &&
		        spk_sig_format(&sig, &b) == 0,
		    "sign (legacy=%d)", legacy);
		unit_check(spk_sig_verify(&kr, "data", 4, b.data, b.len, "x", &sig, &e) == 0 &&
		               sig.prehashed == !legacy &&
		               !strcmp(sig.comment, "timestamp:1\tfile:x"),
		           "verify own signature (legacy=%d)", legacy);
		unit_check(spk_sig_verify(&kr, "dat", 3, b.data, b.len, "x", NULL, &e) ==
		               -SPK_ESIGNATURE,
		           "own signature over other bytes refused (legacy=%d)", legacy);
		spk_buf_reset(&b);
	}
	unit_check(spk_sig_sign(&sig, &sec2, "d", 1, false, "two\nlines", &e) == -EINVAL,
	           "a trusted comment with a newline is refused");
	unit_check(spk_sig_pubkey_parse(&pub2, "untrusted comment: x\nAAAA\n", 26, "p", &e) ==
	               -SPK_EFORMAT,
	           "short public key refused: %s", e.why);
	/* streamed (prehashed) signing of a file gives what signing its bytes gives */
	{
		FILE *f = tmpfile();
		struct spk_sig a, z;

		fputs("streamed file content\n", f);
		fflush(f);
		rewind(f);
		unit_check(spk_sig_sign_fd(&a, &sec2, fileno(f), "c", "tmp", &e) == 0 &&
		               spk_sig_sign(&z, &sec2, "streamed file content\n", 22, false, "c",
		                            &e) == 0 &&
		               a.prehashed && !memcmp(a.sig, z.sig, 64) &&
		               !memcmp(a.global_sig, z.global_sig, 64),
		           "sign_fd equals sign over the same bytes");
		fclose(f);
	}
	spk_buf_release(&b);
	spk_sig_keyring_release(&kr);
	return unit_done();
}
