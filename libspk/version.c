#include "libspk/version.h"

#include <ctype.h>
#include <stddef.h>
#include <string.h>

const char *spk_host_arch(void)
{
#if defined(__x86_64__)
	return "x86_64";
#elif defined(__aarch64__)
	return "aarch64";
#else
#error "spk packages exist for x86_64 and aarch64 only"
#endif
}

bool spk_arch_is_installable(const char *arch)
{
	return !strcmp(arch, "noarch") || !strcmp(arch, spk_host_arch());
}

bool spk_name_is_valid(const char *name)
{
	if (!((*name >= 'a' && *name <= 'z') || (*name >= '0' && *name <= '9')))
		return false;
	for (const char *p = name; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '.' || *p == '_' ||
		      *p == '-'))
			return false;
	return strlen(name) <= 200;
}

static bool upstream_valid_n(const char *s, size_t n)
{
	if (n == 0 || !isdigit((unsigned char)s[0]))
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '.' && s[i] != '_')
			return false;
	return n <= 200;
}

bool spk_upstream_is_valid(const char *upstream)
{
	return upstream_valid_n(upstream, strlen(upstream));
}

/* Splits "1.2-r3" into the upstream length and a pointer to the release digits (NULL if none). */
static size_t split_release(const char *v, const char **rel)
{
	const char *dash = strrchr(v, '-');

	*rel = NULL;
	if (dash && dash[1] == 'r' && dash[2]) {
		for (const char *p = dash + 2; *p; p++)
			if (!isdigit((unsigned char)*p))
				return strlen(v);
		*rel = dash + 2;
		return (size_t)(dash - v);
	}
	return strlen(v);
}

bool spk_version_is_valid(const char *version)
{
	const char *rel;
	size_t n = split_release(version, &rel);

	return rel && strlen(rel) <= 9 && upstream_valid_n(version, n);
}

/* pacman's rpmvercmp on counted strings: separators (non-alphanumerics) only split segments, but a
 * longer run of separators wins; numeric beats alpha; at the end, whichever side has a further
 * alpha segment is older ("1.0a" < "1.0", "1.0.a" > "1.0"). */
static int upstream_cmp(const char *a, size_t na, const char *b, size_t nb)
{
	size_t i = 0, j = 0;

	if (na == nb && !memcmp(a, b, na))
		return 0;
	while (i < na && j < nb) {
		size_t si = i, sj = j, ai, bj, la, lb;
		bool num;
		int c;

		while (i < na && !isalnum((unsigned char)a[i]))
			i++;
		while (j < nb && !isalnum((unsigned char)b[j]))
			j++;
		if (i >= na || j >= nb)
			break;
		if (i - si != j - sj)
			return i - si < j - sj ? -1 : 1;
		ai = i;
		bj = j;
		num = isdigit((unsigned char)a[i]);
		if (num) {
			while (i < na && isdigit((unsigned char)a[i]))
				i++;
			while (j < nb && isdigit((unsigned char)b[j]))
				j++;
		} else {
			while (i < na && isalpha((unsigned char)a[i]))
				i++;
			while (j < nb && isalpha((unsigned char)b[j]))
				j++;
		}
		if (j == bj) /* b's segment is the other type: numeric is newer */
			return num ? 1 : -1;
		if (num) {
			while (ai < i && a[ai] == '0')
				ai++;
			while (bj < j && b[bj] == '0')
				bj++;
			if (i - ai != j - bj)
				return i - ai < j - bj ? -1 : 1;
		}
		la = i - ai;
		lb = j - bj;
		c = memcmp(a + ai, b + bj, la < lb ? la : lb);
		if (c)
			return c < 0 ? -1 : 1;
		if (la != lb)
			return la < lb ? -1 : 1;
	}
	if (i >= na && j >= nb)
		return 0;
	/* One side has more: an alpha remainder is older, anything else newer. */
	if ((i >= na && !isalpha((unsigned char)b[j])) || (i < na && isalpha((unsigned char)a[i])))
		return -1;
	return 1;
}

static unsigned long long release_num(const char *rel)
{
	unsigned long long n = 0;

	for (; *rel; rel++)
		n = n * 10 + (unsigned)(*rel - '0');
	return n;
}

int spk_version_cmp(const char *a, const char *b)
{
	const char *ra, *rb;
	size_t na = split_release(a, &ra), nb = split_release(b, &rb);
	int c = upstream_cmp(a, na, b, nb);
	unsigned long long x, y;

	if (c || !ra || !rb)
		return c;
	x = release_num(ra);
	y = release_num(rb);
	return x < y ? -1 : x > y;
}
