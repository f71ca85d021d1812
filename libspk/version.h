/* Package names and versions (ARCHITECTURE.md §2): how they look and how they order. */
#ifndef SPK_VERSION_H
#define SPK_VERSION_H

#include <stdbool.h>

/* [a-z0-9][a-z0-9._-]* */
bool spk_name_is_valid(const char *name);

/* {upstream}-r{N}: upstream from [0-9A-Za-z._] starting with a digit, N decimal. */
bool spk_version_is_valid(const char *version);

/* An upstream part alone (a constraint may omit -rN): [0-9A-Za-z._], starting with a digit. */
bool spk_upstream_is_valid(const char *upstream);

/* The architecture this spk was built for ("x86_64", "aarch64"): packages for it or noarch
 * install here. */
const char *spk_host_arch(void);
/* Does a package built for arch install on this host? */
bool spk_arch_is_installable(const char *arch);

/* Orders two versions: <0, 0, >0. Upstream parts compare like pacman's vercmp (numeric runs
 * numerically, alpha runs lexically, alpha < numeric, separators only split), then the -rN
 * release as an integer. A side without -rN compares equal on the release, so "2.0" matches
 * "2.0-r3" when one of them is a constraint. */
int spk_version_cmp(const char *a, const char *b);

#endif
