/* SPKINDEX: the packages of one repository snapshot (ARCHITECTURE.md §4), served xz-compressed as
 * SPKINDEX.xz. Text, one stanza of "Key: value" lines per package, stanzas separated by one blank
 * line, in this order (empty optional fields are left out):
 *
 *   Name: foo                       required, [a-z0-9][a-z0-9._-]*
 *   Version: 1.2-r0                 required, [0-9A-Za-z._-]+ (order: libspk/version.h)
 *   Arch: x86_64                    required, x86_64, aarch64 or noarch
 *   Description: text               optional
 *   Depends: a, b >= 1.0            optional, relation lists as in .SPKINFO
 *   Provides: / Conflicts: / Replaces:
 *   Size: 1234                      required, bytes of the package file
 *   Installed-Size: 5678            optional (0 when absent)
 *   SHA256: <64 lower-case hex>     required, of the package file
 *   Asset: foo-1.2-r0-x86_64.tar.xz required, a release asset name (no '/')
 *   Asset-Tag: main-2026.07.01.1    required, the release (tag) holding the asset
 *
 * Unknown keys are ignored; a known key twice, or two stanzas with the same Name, Version and
 * Arch, is malformed.
 */
#ifndef SPK_INDEX_H
#define SPK_INDEX_H

#include "libspk/err.h"

#include <stddef.h>
#include <stdint.h>

struct spk_buf;

#define SPK_INDEX_MAX ((size_t)256 << 20)   /* ceiling on the decompressed text */
#define SPK_INDEX_XZ_MAX ((size_t)64 << 20) /* ceiling on SPKINDEX.xz as served */
#define SPK_INDEX_XZ_PRESET 6               /* fixed, single-threaded: reproducible bytes */

/* One package. Strings are never NULL ("" when absent); in a parsed index they point into
 * spk_index.text and are valid until spk_index_release(). */
struct spk_index_entry {
	const char *name, *version, *arch;
	const char *description;
	const char *depends, *provides, *conflicts, *replaces; /* unparsed relation lists */
	uint64_t size, installed_size;
	uint8_t sha256[32];
	const char *asset, *asset_tag;
};

struct spk_index {
	struct spk_index_entry *entries; /* in file order */
	size_t n;
	char *text; /* owned storage the entries point into */
};

/* Parses text (len bytes; need not be NUL-terminated; copied) into ix, which the caller
 * releases (also on failure). -SPK_EFORMAT naming the line when malformed, -ENOMEM, -EFBIG. */
int spk_index_parse(struct spk_index *ix, const char *text, size_t len, const char *what,
                    struct spk_err *e);
void spk_index_release(struct spk_index *ix);

/* Appends the text of n entries, in the given order. -EINVAL (naming the package) when a field
 * would not read back (a newline in a value, a bad name); -ENOMEM/-EFBIG from out. */
int spk_index_format(const struct spk_index_entry *v, size_t n, struct spk_buf *out,
                     struct spk_err *e);

/* xz (preset SPK_INDEX_XZ_PRESET, CRC64, single-threaded) of len bytes, appended to out. */
int spk_index_compress(const void *text, size_t len, struct spk_buf *out, struct spk_err *e);
/* Decompresses one xz stream into out (ceiling SPK_INDEX_MAX); -SPK_ECORRUPT when truncated,
 * corrupt, or followed by trailing bytes. */
int spk_index_decompress(const void *xz, size_t len, struct spk_buf *out, const char *what,
                         struct spk_err *e);

/* decompress + parse: what a client does with the verified SPKINDEX.xz bytes. */
int spk_index_load_xz(struct spk_index *ix, const void *xz, size_t len, const char *what,
                      struct spk_err *e);

/* Sorts entries by name, then version text, then arch (the order spk index writes). */
void spk_index_sort(struct spk_index_entry *v, size_t n);

#endif
