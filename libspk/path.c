#include "libspk/path.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

bool spk_path_is_safe(const char *path, const char **why)
{
	const char *p = path;
	const char *dummy;

	if (!why)
		why = &dummy;
	if (!*path) {
		*why = "empty path";
		return false;
	}
	if (*path == '/') {
		*why = "absolute path";
		return false;
	}
	if (strlen(path) >= SPK_PATH_MAX) {
		*why = "path too long";
		return false;
	}
	while (*p) {
		const char *slash = strchr(p, '/');
		size_t n = slash ? (size_t)(slash - p) : strlen(p);

		if (n == 0) {
			*why = "empty path component";
			return false;
		}
		if (n == 2 && p[0] == '.' && p[1] == '.') {
			*why = "'..' in path";
			return false;
		}
		if (n == 1 && p[0] == '.') {
			*why = "'.' in path";
			return false;
		}
		if (n > 255) {
			*why = "path component too long";
			return false;
		}
		if (n >= 5 && !strncmp(p, ".spk-", 5)) {
			*why = "name reserved for spk's staging files (.spk-*)";
			return false;
		}
		if (!slash)
			break;
		p = slash + 1;
		if (!*p) {
			*why = "trailing '/'";
			return false;
		}
	}
	return true;
}

bool spk_path_link_stays_inside(const char *linkpath, const char *target)
{
	long depth = 0;
	const char *p;

	if (!*target)
		return false;
	if (*target != '/') {
		/* Relative targets resolve from the link's directory. */
		for (p = linkpath; *p; p++)
			depth += *p == '/';
	}
	p = target;
	while (*p) {
		const char *slash;
		size_t n;

		while (*p == '/')
			p++;
		if (!*p)
			break;
		slash = strchr(p, '/');
		n = slash ? (size_t)(slash - p) : strlen(p);
		if (n == 2 && p[0] == '.' && p[1] == '.') {
			if (--depth < 0)
				return false;
		} else if (!(n == 1 && p[0] == '.')) {
			depth++;
		}
		p += n;
	}
	return true;
}

int spk_path_normalize(const char *in, char *out, size_t n)
{
	size_t o = 0;
	const char *p = in;

	while (*p) {
		const char *slash;
		size_t len;

		while (*p == '/')
			p++;
		if (!*p)
			break;
		slash = strchr(p, '/');
		len = slash ? (size_t)(slash - p) : strlen(p);
		if (len == 2 && p[0] == '.' && p[1] == '.')
			return -EINVAL;
		if (!(len == 1 && p[0] == '.')) {
			if (o + len + 2 > n)
				return -ENAMETOOLONG;
			if (o)
				out[o++] = '/';
			memcpy(out + o, p, len);
			o += len;
		}
		p += len;
	}
	if (o == 0) {
		if (n < 2)
			return -ENAMETOOLONG;
		out[o++] = '.';
	}
	out[o] = '\0';
	return 0;
}

int spk_path_escape(struct spk_buf *out, const char *path)
{
	const unsigned char *p = (const unsigned char *)path;
	const unsigned char *run = p;
	int r;

	for (; *p; p++) {
		if (*p > ' ' && *p != 0x7f && *p != '\\')
			continue;
		r = spk_buf_add(out, run, (size_t)(p - run));
		if (r < 0)
			return r;
		r = spk_buf_addf(out, "\\x%02x", *p);
		if (r < 0)
			return r;
		run = p + 1;
	}
	return spk_buf_add(out, run, (size_t)(p - run));
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int spk_path_unescape(const char *s, size_t n, char *out, size_t outsz)
{
	size_t o = 0;

	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		if (c == '\\') {
			int h, l;

			if (i + 3 >= n)
				return -EINVAL;
			if (s[i + 1] != 'x' || (h = hexval(s[i + 2])) < 0 ||
			    (l = hexval(s[i + 3])) < 0)
				return -EINVAL;
			c = (char)(h * 16 + l);
			if (!c)
				return -EINVAL;
			i += 3;
		} else if ((unsigned char)c <= ' ' || c == 0x7f) {
			return -EINVAL;
		}
		if (o + 1 >= outsz)
			return -ENAMETOOLONG;
		out[o++] = c;
	}
	out[o] = '\0';
	return 0;
}

uint64_t spk_path_hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	return h;
}
