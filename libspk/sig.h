/* Ed25519 keys and signatures in minisign's file formats (libsodium does the cryptography).
 *
 * Public key file (.pub):   "untrusted comment: ..." line, then base64("Ed" keyid[8] pk[32]).
 * Secret key file (.key):   "untrusted comment: ..." line, then base64("Ed" kdf[2] "B2" salt[32]
 *                           opslimit[8] memlimit[8] keyid[8] sk[64] chk[32]); spk writes and reads
 *                           only unencrypted keys (kdf "\0\0", what `minisign -G -W` makes).
 * Signature (.minisig):     "untrusted comment: ..." line, base64(alg[2] keyid[8] sig[64]),
 *                           "trusted comment: TEXT" line, base64(global_sig[64]).
 *                           alg "ED" signs BLAKE2b-512 of the file (prehashed, minisign >= 0.10's
 *                           default), alg "Ed" signs the file itself (legacy); global_sig signs
 *                           sig || TEXT, so the trusted comment cannot be changed either.
 * A key ID is 8 random bytes, shown as minisign does: little-endian, 16 upper-case hex digits.
 */
#ifndef SPK_SIG_H
#define SPK_SIG_H

#include "libspk/err.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct spk_buf;

#define SPK_SIG_KEYID_BYTES 8
#define SPK_SIG_COMMENT_MAX 1024 /* bytes of a trusted comment, minisign's own limit is 8192 */
#define SPK_SIG_FILE_MAX 8192    /* ceiling on a .pub, .key or .minisig file */
#define SPK_SIG_KEYS_DIR "etc/spk/keys"

struct spk_sig_pubkey {
	uint8_t keyid[SPK_SIG_KEYID_BYTES];
	uint8_t pk[32];
};

struct spk_sig_seckey {
	uint8_t keyid[SPK_SIG_KEYID_BYTES];
	uint8_t sk[64]; /* libsodium's seed || public key */
};

/* Trusted public keys; owns its array. */
struct spk_sig_keyring {
	struct spk_sig_pubkey *keys;
	size_t n;
};

/* One parsed .minisig file. */
struct spk_sig {
	bool prehashed; /* "ED": the signature covers BLAKE2b-512 of the message */
	uint8_t keyid[SPK_SIG_KEYID_BYTES];
	uint8_t sig[64];
	char comment[SPK_SIG_COMMENT_MAX]; /* the trusted comment, without its prefix */
	uint8_t global_sig[64];
};

/* Initialises libsodium (idempotent); -ENOSYS if it cannot. Every other function calls it. */
int spk_sig_init(struct spk_err *e);

/* "CF1C0C285A5C64E9" into buf (at least 17 bytes). */
void spk_sig_keyid_format(const uint8_t keyid[SPK_SIG_KEYID_BYTES], char *buf);

/* A new random key pair with a random key ID. */
int spk_sig_keygen(struct spk_sig_pubkey *pub, struct spk_sig_seckey *sec, struct spk_err *e);

/* Key files as text, appended to out (-ENOMEM or -EFBIG past out's ceiling). */
int spk_sig_pubkey_format(const struct spk_sig_pubkey *pub, struct spk_buf *out);
int spk_sig_seckey_format(const struct spk_sig_seckey *sec, struct spk_buf *out);

/* Parse key files. what names the file in errors. -SPK_EFORMAT when malformed; an encrypted
 * secret key is refused with -SPK_EFORMAT naming the reason (spk never prompts). A secret key
 * whose checksum or embedded public key does not match is refused too. */
int spk_sig_pubkey_parse(struct spk_sig_pubkey *pub, const char *text, size_t len, const char *what,
                         struct spk_err *e);
int spk_sig_seckey_parse(struct spk_sig_seckey *sec, const char *text, size_t len, const char *what,
                         struct spk_err *e);
/* The public half of a secret key. */
void spk_sig_seckey_public(const struct spk_sig_seckey *sec, struct spk_sig_pubkey *pub);

/* Read and parse a key file (path relative to dirfd, or absolute; AT_FDCWD works). */
int spk_sig_pubkey_load(struct spk_sig_pubkey *pub, int dirfd, const char *path, struct spk_err *e);
int spk_sig_seckey_load(struct spk_sig_seckey *sec, int dirfd, const char *path, struct spk_err *e);

/* Loads every {root}/etc/spk/keys/NAME.pub (rootfd: the root directory) into kr, which the caller
 * releases. A missing directory gives an empty ring (every signature is then "unknown key"); a
 * malformed .pub file is an error, not skipped. Keys are sorted by file name. */
int spk_sig_keyring_load(struct spk_sig_keyring *kr, int rootfd, struct spk_err *e);
/* Adds a copy of pub; -ENOMEM. */
int spk_sig_keyring_add(struct spk_sig_keyring *kr, const struct spk_sig_pubkey *pub);
void spk_sig_keyring_release(struct spk_sig_keyring *kr);
/* The trusted key with this ID, or NULL. */
const struct spk_sig_pubkey *spk_sig_keyring_find(const struct spk_sig_keyring *kr,
                                                  const uint8_t keyid[SPK_SIG_KEYID_BYTES]);

/* Parses a .minisig text; -SPK_EFORMAT (what names the file) when malformed. */
int spk_sig_parse(struct spk_sig *sig, const char *text, size_t len, const char *what,
                  struct spk_err *e);
/* Appends the .minisig text of sig to out. */
int spk_sig_format(const struct spk_sig *sig, struct spk_buf *out);

/* Signs msg with sec: prehashed ("ED") unless legacy. comment is the trusted comment (printable,
 * one line, < SPK_SIG_COMMENT_MAX); -EINVAL otherwise. */
int spk_sig_sign(struct spk_sig *sig, const struct spk_sig_seckey *sec, const void *msg, size_t len,
                 bool legacy, const char *comment, struct spk_err *e);

/* Prehashed signature of everything read from fd (streamed: files of any size); -errno naming
 * what when reading fails. */
int spk_sig_sign_fd(struct spk_sig *sig, const struct spk_sig_seckey *sec, int fd,
                    const char *comment, const char *what, struct spk_err *e);

/* The default trusted comment, like minisign's: "timestamp:T\tfile:BASENAME[\thashed]", T being
 * SOURCE_DATE_EPOCH when set (reproducible signatures: Ed25519 is deterministic), else now. */
int spk_sig_default_comment(char *buf, size_t n, const char *path, bool legacy);

/* Verifies msg against the .minisig text sigtext with the trusted keys kr. what names the
 * signed thing in errors. Errors (all -SPK_ESIGNATURE unless malformed):
 *   -SPK_EFORMAT     the signature file is malformed
 *   -SPK_ESIGNATURE  "unknown key ID X (not in the trusted keys)", or "bad signature", or
 *                    "bad trusted comment signature"
 * On success, sig (if not NULL) holds the parsed signature (its trusted comment, key ID). */
int spk_sig_verify(const struct spk_sig_keyring *kr, const void *msg, size_t len,
                   const char *sigtext, size_t siglen, const char *what, struct spk_sig *sig,
                   struct spk_err *e);

#endif
