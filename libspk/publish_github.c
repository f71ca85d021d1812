/* Publishing a snapshot as a GitHub release through the REST API (see publish.h):
 *   POST  {api}/repos/O/R/releases                 {"tag_name":T,"name":T,"draft":true}
 *   POST  {upload_url}?name=ASSET                  for each asset, SPKCHANNEL last
 *   PATCH {api}/repos/O/R/releases/{id}            {"draft":false,"make_latest":"true"}
 *   GET   {api}/repos/O/R/releases/latest          must now name T
 * Until the PATCH, the release is a draft: no client can see any of it. */
#include "libspk/publish.h"

#include "libspk/buf.h"

#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define RESPONSE_MAX (1 << 20) /* GitHub's answers here are a few KiB */

#ifndef SPK_VERSION
#define SPK_VERSION "dev"
#endif

static const char *skip_ws(const char *p)
{
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	return p;
}

/* Skips a string starting at p (the quote); NULL if malformed. */
static const char *skip_string(const char *p)
{
	for (p++; *p; p++) {
		if (*p == '\\') {
			if (!p[1])
				return NULL;
			p++;
		} else if (*p == '"') {
			return p + 1;
		}
	}
	return NULL;
}

/* Skips any value; NULL if malformed. Depth is bounded by the response ceiling's recursion. */
static const char *skip_value(const char *p, int depth)
{
	p = skip_ws(p);
	if (depth > 64)
		return NULL;
	if (*p == '"')
		return skip_string(p);
	if (*p == '{' || *p == '[') {
		char close = *p == '{' ? '}' : ']';

		p = skip_ws(p + 1);
		if (*p == close)
			return p + 1;
		for (;;) {
			if (close == '}') {
				if (*p != '"' || !(p = skip_string(p)))
					return NULL;
				p = skip_ws(p);
				if (*p++ != ':')
					return NULL;
			}
			if (!(p = skip_value(p, depth + 1)))
				return NULL;
			p = skip_ws(p);
			if (*p == ',') {
				p = skip_ws(p + 1);
				continue;
			}
			return *p == close ? p + 1 : NULL;
		}
	}
	while (*p && !strchr(",}] \t\r\n", *p))
		p++;
	return p;
}

/* Finds the value of key in the top-level object of json; the text of a string value (escapes
 * other than \" \\ \/ refused, GitHub's ids and URLs need none) or a number goes to out.
 * Returns 0, or -1 when absent or not a plain string or number. */
static int json_get(const char *json, const char *key, char *out, size_t n)
{
	const char *p = skip_ws(json), *k, *v, *end;
	size_t kn = strlen(key);

	if (*p++ != '{')
		return -1;
	for (p = skip_ws(p); *p == '"'; p = skip_ws(p)) {
		k = p + 1;
		if (!(p = skip_string(p)))
			return -1;
		bool match = (size_t)(p - 1 - k) == kn && !memcmp(k, key, kn);

		p = skip_ws(p);
		if (*p++ != ':')
			return -1;
		v = skip_ws(p);
		if (!(end = skip_value(v, 1)))
			return -1;
		if (match) {
			size_t o = 0;

			if (*v == '"') {
				for (v++; v < end - 1 && o + 1 < n; v++) {
					if (*v == '\\') {
						v++;
						if (*v != '"' && *v != '\\' && *v != '/')
							return -1;
					}
					out[o++] = *v;
				}
				if (v != end - 1)
					return -1;
			} else {
				if (*v == '{' || *v == '[' || (size_t)(end - v) >= n)
					return -1;
				memcpy(out, v, (size_t)(end - v));
				o = (size_t)(end - v);
			}
			out[o] = '\0';
			return 0;
		}
		p = skip_ws(end);
		if (*p != ',')
			return -1;
		p++;
	}
	return -1;
}

struct http {
	CURL *curl;
	const char *token;
	char api_origin[512]; /* scheme://host[:port] of the API */
	char errbuf[CURL_ERROR_SIZE];
};

/* scheme://host[:port] of url into buf. */
static void origin_of(const char *url, char *buf, size_t n)
{
	const char *s = strstr(url, "://"), *end;

	end = s ? strchr(s + 3, '/') : NULL;
	snprintf(buf, n, "%.*s", end ? (int)(end - url) : (int)strlen(url), url);
}

static size_t on_body(char *p, size_t size, size_t nmemb, void *ud)
{
	struct spk_buf *b = ud;

	return spk_buf_add(b, p, size * nmemb) == 0 ? size * nmemb : 0;
}

/* One request. body/len, or upload_fd/len for a file. The token goes only to the API's origin or
 * to GitHub's upload host. Returns the HTTP status in *status. */
static int request(struct http *h, const char *method, const char *url, const char *ctype,
                   const char *body, int upload_fd, curl_off_t len, struct spk_buf *resp,
                   long *status, struct spk_err *e)
{
	struct curl_slist *hdr = NULL;
	char auth[1024], origin[512], what[1200];
	FILE *f = NULL;
	CURLcode cc;

	snprintf(what, sizeof(what), "%s %s", method, url);
	spk_buf_reset(resp);
	curl_easy_reset(h->curl);
	origin_of(url, origin, sizeof(origin));
	hdr = curl_slist_append(hdr, "Accept: application/vnd.github+json");
	hdr = curl_slist_append(hdr, "X-GitHub-Api-Version: 2022-11-28");
	if (ctype) {
		snprintf(auth, sizeof(auth), "Content-Type: %s", ctype);
		hdr = curl_slist_append(hdr, auth);
	}
	if (h->token &&
	    (!strcmp(origin, h->api_origin) || (!strcmp(h->api_origin, "https://api.github.com") &&
	                                        !strcmp(origin, "https://uploads.github.com")))) {
		snprintf(auth, sizeof(auth), "Authorization: Bearer %s", h->token);
		hdr = curl_slist_append(hdr, auth);
	}
	hdr = curl_slist_append(hdr, "Expect:");
	curl_easy_setopt(h->curl, CURLOPT_URL, url);
	curl_easy_setopt(h->curl, CURLOPT_HTTPHEADER, hdr);
	curl_easy_setopt(h->curl, CURLOPT_USERAGENT, "spk/" SPK_VERSION);
	curl_easy_setopt(h->curl, CURLOPT_ERRORBUFFER, h->errbuf);
	curl_easy_setopt(h->curl, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(h->curl, CURLOPT_WRITEDATA, resp);
	curl_easy_setopt(h->curl, CURLOPT_CONNECTTIMEOUT, 30L);
	curl_easy_setopt(h->curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h->curl, CURLOPT_PROTOCOLS_STR, "http,https");
	if (upload_fd >= 0) {
		f = fdopen(dup(upload_fd), "rb");
		if (!f) {
			curl_slist_free_all(hdr);
			return spk_fail(e, -errno, what, NULL);
		}
		curl_easy_setopt(h->curl, CURLOPT_POST, 1L);
		curl_easy_setopt(h->curl, CURLOPT_READDATA, f);
		curl_easy_setopt(h->curl, CURLOPT_POSTFIELDSIZE_LARGE, len);
	} else if (body) {
		curl_easy_setopt(h->curl, CURLOPT_CUSTOMREQUEST, method);
		curl_easy_setopt(h->curl, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(h->curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)strlen(body));
	} else if (strcmp(method, "GET")) {
		curl_easy_setopt(h->curl, CURLOPT_CUSTOMREQUEST, method);
	}
	h->errbuf[0] = '\0';
	cc = curl_easy_perform(h->curl);
	curl_slist_free_all(hdr);
	if (f)
		fclose(f);
	if (cc != CURLE_OK)
		return spk_fail(e, -SPK_ENETWORK, what, "%s",
		                h->errbuf[0] ? h->errbuf : curl_easy_strerror(cc));
	curl_easy_getinfo(h->curl, CURLINFO_RESPONSE_CODE, status);
	return 0;
}

/* An unexpected status: name the request, the status and GitHub's "message". */
static int http_fail(const char *method, const char *url, long status, struct spk_buf *resp,
                     struct spk_err *e)
{
	char msg[200] = "", what[1200];

	snprintf(what, sizeof(what), "%s %s", method, url);
	if (resp->data)
		json_get(resp->data, "message", msg, sizeof(msg));
	return spk_fail(e, -SPK_ENETWORK, what, "HTTP %ld%s%s", status, msg[0] ? ": " : "", msg);
}

static int upload(struct http *h, const struct spk_publish_snapshot *s, const char *base,
                  const char *name, struct spk_buf *resp, struct spk_err *e)
{
	char url[2048];
	struct stat st;
	long status = 0;
	int fd, r;

	snprintf(url, sizeof(url), "%s?name=%s", base, name);
	fd = openat(s->dirfd, name, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return spk_fail(e, -errno, name, NULL);
	if (fstat(fd, &st) < 0) {
		r = spk_fail(e, -errno, name, NULL);
		close(fd);
		return r;
	}
	r = request(h, "POST", url, "application/octet-stream", NULL, fd, (curl_off_t)st.st_size,
	            resp, &status, e);
	close(fd);
	if (r == 0 && status != 201)
		r = http_fail("POST", url, status, resp, e);
	return r;
}

int spk_publish_github(const struct spk_publish_snapshot *s, const char *api_url,
                       const char *repository, const char *token, long long *release_id,
                       struct spk_err *e)
{
	struct spk_buf resp;
	struct http h = {0};
	char url[2048], body[1024], id[32], upload_url[1024], tag[256] = "";
	long status = 0;
	size_t alen = strlen(api_url);
	int r;

	while (alen && api_url[alen - 1] == '/')
		alen--;
	spk_buf_init(&resp, RESPONSE_MAX);
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return spk_fail(e, -ENOMEM, "libcurl", "cannot initialise");
	h.curl = curl_easy_init();
	if (!h.curl) {
		curl_global_cleanup();
		return spk_fail(e, -ENOMEM, "libcurl", "cannot initialise");
	}
	h.token = token && *token ? token : NULL;
	snprintf(url, sizeof(url), "%.*s", (int)alen, api_url);
	origin_of(url, h.api_origin, sizeof(h.api_origin));

	/* 1. the draft */
	snprintf(url, sizeof(url), "%.*s/repos/%s/releases", (int)alen, api_url, repository);
	snprintf(body, sizeof(body), "{\"tag_name\":\"%s\",\"name\":\"%s\",\"draft\":true}",
	         s->channel.snapshot, s->channel.snapshot);
	r = request(&h, "POST", url, "application/json", body, -1, 0, &resp, &status, e);
	if (r == 0 && status != 201)
		r = http_fail("POST", url, status, &resp, e);
	if (r == 0 && (json_get(resp.data ? resp.data : "", "id", id, sizeof(id)) < 0 ||
	               json_get(resp.data, "upload_url", upload_url, sizeof(upload_url)) < 0 ||
	               strspn(id, "0123456789") != strlen(id) || !id[0]))
		r = spk_fail(e, -SPK_EFORMAT, url, "release answer without id or upload_url");
	if (r < 0)
		goto out;
	/* "https://uploads.github.com/repos/O/R/releases/1/assets{?name,label}" */
	upload_url[strcspn(upload_url, "{")] = '\0';
	if (strncmp(upload_url, "https://", 8) && strncmp(upload_url, "http://", 7)) {
		r = spk_fail(e, -SPK_EFORMAT, url, "odd upload_url '%s'", upload_url);
		goto out;
	}
	if (release_id)
		*release_id = strtoll(id, NULL, 10);

	/* 2. every asset, in the snapshot's order: SPKCHANNEL is the last of them */
	for (size_t i = 0; r == 0 && i < s->n; i++)
		r = upload(&h, s, upload_url, s->files[i], &resp, e);
	if (r < 0)
		goto out;

	/* 3. publish: only now can `latest` name this snapshot */
	snprintf(url, sizeof(url), "%.*s/repos/%s/releases/%s", (int)alen, api_url, repository, id);
	r = request(&h, "PATCH", url, "application/json",
	            "{\"draft\":false,\"make_latest\":\"true\"}", -1, 0, &resp, &status, e);
	if (r == 0 && status != 200)
		r = http_fail("PATCH", url, status, &resp, e);
	if (r < 0)
		goto out;

	/* 4. read back what clients will follow */
	snprintf(url, sizeof(url), "%.*s/repos/%s/releases/latest", (int)alen, api_url, repository);
	r = request(&h, "GET", url, NULL, NULL, -1, 0, &resp, &status, e);
	if (r == 0 && status != 200)
		r = http_fail("GET", url, status, &resp, e);
	if (r == 0 && (json_get(resp.data ? resp.data : "", "tag_name", tag, sizeof(tag)) < 0 ||
	               strcmp(tag, s->channel.snapshot)))
		r = spk_fail(e, -SPK_EMISMATCH, url, "latest release is '%s', not %s", tag,
		             s->channel.snapshot);
out:
	spk_buf_release(&resp);
	curl_easy_cleanup(h.curl);
	curl_global_cleanup();
	return r;
}
