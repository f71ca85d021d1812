/* The transport's pure parts: Retry-After, Content-Range, and which URLs may see a token. */
#include "libspk/fetch.h"
#include "libspk/fetch_http.h"
#include "tests/lib/unit.h"

#include <string.h>

static const struct {
	const char *in;
	time_t now;
	int ret;
	uint32_t secs;
} retry_after[] = {
	{ "120", 0, 0, 120 },
	{ " 7\r\n", 0, 0, 7 },
	{ "0", 0, 0, 0 },
	{ "99999999999999999999999", 0, 0, UINT32_MAX },
	{ "Wed, 21 Oct 2015 07:28:00 GMT", 2000000000, 0, 0 },	/* in the past */
	{ "Sun, 06 Nov 1994 08:49:37 GMT", 784111777 - 40, 0, 40 },	/* IMF-fixdate */
	{ "Sunday, 06-Nov-94 08:49:37 GMT", 784111777 - 40, 0, 40 },	/* RFC 850 */
	{ "Sun Nov  6 08:49:37 1994", 784111777 - 40, 0, 40 },		/* asctime */
	{ "", 0, -22, 0 },
	{ "12a", 0, -22, 0 },
	{ "-5", 0, -22, 0 },
	{ "soon", 0, -22, 0 },
	{ "1.5", 0, -22, 0 },
};

static const struct {
	const char *in;
	int ret;
	uint64_t first, last, complete;
} content_range[] = {
	{ "bytes 0-99/100", 0, 0, 99, 100 },
	{ "bytes 100-199/1000\r\n", 0, 100, 199, 1000 },
	{ "BYTES  5-5/*", 0, 5, 5, UINT64_MAX },
	{ "bytes 10-5/100", -22, 0, 0, 0 },
	{ "bytes 0-100/100", -22, 0, 0, 0 },
	{ "bytes */100", -22, 0, 0, 0 },
	{ "bytes 0-99", -22, 0, 0, 0 },
	{ "items 0-99/100", -22, 0, 0, 0 },
	{ "bytes0-99/100", -22, 0, 0, 0 },
	{ "bytes 0-99/100x", -22, 0, 0, 0 },
	{ "bytes 0-18446744073709551615/*", -22, 0, 0, 0 },
};

static const struct {
	const char *github_url;
	const char *url;
	bool yes;
} github[] = {
	{ NULL, "https://github.com/o/r/releases/download/t/a", true },
	{ NULL, "https://api.github.com/repos/o/r", true },
	{ NULL, "https://GitHub.com/o/r", true },
	{ NULL, "http://github.com/o/r", false },	/* never over plain HTTP */
	{ NULL, "https://objects.githubusercontent.com/x?sig", false },
	{ NULL, "https://github.com.evil.example/o/r", false },
	{ NULL, "https://evilgithub.com/o/r", false },
	{ NULL, "https://user@evil.example/github.com", false },
	{ "http://127.0.0.1:8080", "http://127.0.0.1:8080/o/r/releases/latest/download/X", true },
	{ "http://127.0.0.1:8080", "http://127.0.0.1:8081/o/r/releases/latest-download/X", false },
	{ "http://127.0.0.1:8080", "https://127.0.0.1:8080/o/r", false },
	{ "https://ghe.example", "https://ghe.example:443/o/r", true },
	{ "https://ghe.example", "https://ghe.example.other/o/r", false },
	{ "not a url", "https://example.org/", false },
};

int main(void)
{
	struct spk_fetch_opts o;

	for (size_t i = 0; i < sizeof(retry_after) / sizeof(retry_after[0]); i++) {
		uint32_t s = 12345;
		int r = spk_fetch_http_retry_after(retry_after[i].in, strlen(retry_after[i].in),
						   retry_after[i].now, &s);

		unit_check(r == retry_after[i].ret && (r < 0 || s == retry_after[i].secs),
			   "Retry-After '%.*s' -> %d %u", (int)strcspn(retry_after[i].in, "\r"),
			   retry_after[i].in, r, (unsigned)s);
	}
	for (size_t i = 0; i < sizeof(content_range) / sizeof(content_range[0]); i++) {
		uint64_t a = 1, b = 1, c = 1;
		int r = spk_fetch_http_content_range(content_range[i].in, strlen(content_range[i].in),
						     &a, &b, &c);

		unit_check(r == content_range[i].ret &&
				   (r < 0 || (a == content_range[i].first &&
					      b == content_range[i].last &&
					      c == content_range[i].complete)),
			   "Content-Range '%.*s' -> %d", (int)strcspn(content_range[i].in, "\r"),
			   content_range[i].in, r);
	}
	/* Not NUL-terminated: the parser must stop at len. */
	{
		uint32_t s = 0;

		unit_check(spk_fetch_http_retry_after("42garbage", 2, 0, &s) == 0 && s == 42,
			   "Retry-After honours its length");
	}
	spk_fetch_opts_init(&o);
	for (size_t i = 0; i < sizeof(github) / sizeof(github[0]); i++) {
		o.github_url = github[i].github_url;
		unit_check(spk_fetch_is_github(&o, github[i].url) == github[i].yes,
			   "token for %s (SPK_GITHUB_URL=%s): %s", github[i].url,
			   github[i].github_url ? github[i].github_url : "-",
			   github[i].yes ? "yes" : "no");
	}
	return unit_done();
}
