/* Paths inside a package and inside the target root. Every path spk writes is relative to the
 * root's directory fd and is checked here first: no "..", no absolute paths, no empty parts. */
#ifndef SPK_PATH_H
#define SPK_PATH_H

#include "libspk/buf.h"
#include "libspk/err.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SPK_PATH_MAX 4096

/* A package member path: relative, components non-empty and not "." or "..", no NUL, not
 * beginning with ".spk-" (spk's staging names). why receives the reason when false. */
bool spk_path_is_safe(const char *path, const char **why);

/* Does a symlink at linkpath (package-relative) with this target stay inside the root?
 * Absolute targets mean "inside the root" and may not climb above it with "..". */
bool spk_path_link_stays_inside(const char *linkpath, const char *target);

/* Normalises a user-given in-root path ("/usr//bin/./x", "usr/bin/x") to "usr/bin/x" in out;
 * -EINVAL for ".." or an empty result ("" for "/" is returned as "."). */
int spk_path_normalize(const char *in, char *out, size_t n);

/* Escaping for the text formats: bytes <= ' ', 0x7f and '\\' become \xHH. */
int spk_path_escape(struct spk_buf *out, const char *path);
/* Reverses spk_path_escape on s[0..n) into out (NUL-terminated); -EINVAL on a bad escape. */
int spk_path_unescape(const char *s, size_t n, char *out, size_t outsz);

/* 64-bit FNV-1a, for staging names and the query index. */
uint64_t spk_path_hash(const char *s);

#endif
