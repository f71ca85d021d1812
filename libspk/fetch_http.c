#include "libspk/fetch_http.h"

#include <curl/curl.h>
#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <strings.h>

static void trim(const char **p, size_t *len)
{
	while (*len && (**p == ' ' || **p == '\t')) {
		(*p)++;
		(*len)--;
	}
	while (*len && strchr(" \t\r\n", (*p)[*len - 1]))
		(*len)--;
}

/* Decimal digits at *p (at least one); saturates at UINT64_MAX instead of wrapping. */
static bool take_u64(const char **p, const char *end, uint64_t *v)
{
	const char *s = *p;
	uint64_t n = 0;

	while (s < end && *s >= '0' && *s <= '9') {
		unsigned d = (unsigned)(*s - '0');

		n = n > (UINT64_MAX - d) / 10 ? UINT64_MAX : n * 10 + d;
		s++;
	}
	if (s == *p)
		return false;
	*p = s;
	*v = n;
	return true;
}

int spk_fetch_http_retry_after(const char *value, size_t len, time_t now, uint32_t *secs)
{
	char date[64];
	const char *p = value, *end;
	uint64_t n;
	time_t t;

	trim(&p, &len);
	end = p + len;
	if (!len)
		return -EINVAL;
	if (*p >= '0' && *p <= '9') {
		if (!take_u64(&p, end, &n) || p != end)
			return -EINVAL;
		*secs = n > UINT32_MAX ? UINT32_MAX : (uint32_t)n;
		return 0;
	}
	/* An HTTP-date: curl_getdate() knows IMF-fixdate and the two obsolete forms. It wants a C
	 * string; real dates are 29 characters, so anything longer is not one. */
	if (len >= sizeof(date) || memchr(p, '\0', len))
		return -EINVAL;
	memcpy(date, p, len);
	date[len] = '\0';
	t = curl_getdate(date, NULL);
	if (t == (time_t)-1)
		return -EINVAL;
	if (t <= now)
		*secs = 0;
	else if ((uint64_t)(t - now) > UINT32_MAX)
		*secs = UINT32_MAX;
	else
		*secs = (uint32_t)(t - now);
	return 0;
}

int spk_fetch_http_content_range(const char *value, size_t len, uint64_t *first, uint64_t *last,
				 uint64_t *complete)
{
	const char *p = value, *end;
	uint64_t a, b, c;

	trim(&p, &len);
	end = p + len;
	if (len < 6 || strncasecmp(p, "bytes", 5) != 0)
		return -EINVAL;
	p += 5;
	if (p >= end || (*p != ' ' && *p != '\t'))
		return -EINVAL;
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	if (!take_u64(&p, end, &a) || p >= end || *p++ != '-')
		return -EINVAL;
	if (!take_u64(&p, end, &b) || p >= end || *p++ != '/')
		return -EINVAL;
	if (p < end && *p == '*') {
		p++;
		c = UINT64_MAX;
	} else if (!take_u64(&p, end, &c)) {
		return -EINVAL;
	}
	if (p != end || a > b || (c != UINT64_MAX && b >= c) || a == UINT64_MAX || b == UINT64_MAX)
		return -EINVAL;
	*first = a;
	*last = b;
	*complete = c;
	return 0;
}
