#include "libspk/info.h"

#include "libspk/version.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void spk_info_release(struct spk_info *info)
{
	free(info->name);
	free(info->version);
	free(info->arch);
	free(info->description);
	free(info->url);
	free(info->license);
	free(info->origin);
	spk_relations_release(&info->depends);
	spk_relations_release(&info->provides);
	spk_relations_release(&info->conflicts);
	spk_relations_release(&info->replaces);
	for (size_t i = 0; i < info->n_allow_setuid; i++)
		free(info->allow_setuid[i]);
	free(info->allow_setuid);
	for (size_t i = 0; i < info->n_extra; i++) {
		free(info->extra[i].key);
		free(info->extra[i].value);
	}
	free(info->extra);
	memset(info, 0, sizeof(*info));
	info->build_date = -1;
	info->installed_size = -1;
}

static bool key_is_valid(const char *k, size_t n)
{
	if (n == 0 || n > 64)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((k[i] >= 'A' && k[i] <= 'Z') || (k[i] >= 'a' && k[i] <= 'z') ||
		      (k[i] >= '0' && k[i] <= '9') || k[i] == '-'))
			return false;
	return true;
}

static int parse_int(const char *v, long long *out)
{
	char *end;
	long long n;

	if (*v < '0' || *v > '9')
		return -1;
	errno = 0;
	n = strtoll(v, &end, 10);
	if (errno || *end)
		return -1;
	*out = n;
	return 0;
}

static int parse_setuid(struct spk_info *info, const char *v, const char *where, struct spk_err *e)
{
	const char *p = v;

	while (*p) {
		const char *comma = strchr(p, ',');
		size_t n = comma ? (size_t)(comma - p) : strlen(p);
		char **grown, *item;

		while (n && (*p == ' ' || *p == '\t')) {
			p++;
			n--;
		}
		while (n && (p[n - 1] == ' ' || p[n - 1] == '\t'))
			n--;
		if (n == 0 || *p != '/')
			return spk_fail(e, -SPK_EFORMAT, where,
					"Allow-Setuid takes in-root absolute paths");
		grown = realloc(info->allow_setuid, (info->n_allow_setuid + 1) * sizeof(*grown));
		if (!grown)
			return spk_fail(e, -ENOMEM, where, NULL);
		info->allow_setuid = grown;
		item = strndup(p, n);
		if (!item)
			return spk_fail(e, -ENOMEM, where, NULL);
		info->allow_setuid[info->n_allow_setuid++] = item;
		if (!comma)
			break;
		p = comma + 1;
	}
	return 0;
}

/* Stores one "Key: value"; seen[] catches duplicates of the known keys. */
static int take(struct spk_info *info, const char *key, const char *value, const char *where,
		unsigned *seen, struct spk_err *e)
{
	static const char *const known[] = {
		"Name", "Version", "Arch", "Description", "URL", "License", "Origin",
		"Build-Date", "Installed-Size", "Depends", "Provides", "Conflicts",
		"Replaces", "Allow-Setuid",
	};
	char **strs[] = { &info->name, &info->version, &info->arch, &info->description,
			  &info->url, &info->license, &info->origin };
	struct spk_relations *rels[] = { &info->depends, &info->provides, &info->conflicts,
					 &info->replaces };
	size_t k;

	for (k = 0; k < sizeof(known) / sizeof(known[0]); k++)
		if (!strcmp(key, known[k]))
			break;
	if (k == sizeof(known) / sizeof(known[0])) {
		struct spk_kv *grown;

		for (size_t i = 0; i < info->n_extra; i++)
			if (!strcmp(info->extra[i].key, key))
				return spk_fail(e, -SPK_EFORMAT, where, "duplicate key '%s'", key);
		grown = realloc(info->extra, (info->n_extra + 1) * sizeof(*grown));
		if (!grown)
			return spk_fail(e, -ENOMEM, where, NULL);
		info->extra = grown;
		grown[info->n_extra].key = strdup(key);
		grown[info->n_extra].value = strdup(value);
		info->n_extra++;
		if (!grown[info->n_extra - 1].key || !grown[info->n_extra - 1].value)
			return spk_fail(e, -ENOMEM, where, NULL);
		return 0;
	}
	if (*seen & (1u << k))
		return spk_fail(e, -SPK_EFORMAT, where, "duplicate key '%s'", key);
	*seen |= 1u << k;
	if (k < 7) {
		*strs[k] = strdup(value);
		return *strs[k] ? 0 : spk_fail(e, -ENOMEM, where, NULL);
	}
	if (k == 7 || k == 8) {
		long long *dst = k == 7 ? &info->build_date : &info->installed_size;

		if (parse_int(value, dst) < 0)
			return spk_fail(e, -SPK_EFORMAT, where, "%s must be a non-negative integer",
					key);
		return 0;
	}
	if (k == 13)
		return parse_setuid(info, value, where, e);
	return spk_relations_parse(rels[k - 9], value, k == 10, e);
}

static int validate(const struct spk_info *info, const char *what, struct spk_err *e)
{
	if (!info->name)
		return spk_fail(e, -SPK_EFORMAT, what, "missing Name");
	if (!info->version)
		return spk_fail(e, -SPK_EFORMAT, what, "missing Version");
	if (!info->arch)
		return spk_fail(e, -SPK_EFORMAT, what, "missing Arch");
	if (!spk_name_is_valid(info->name))
		return spk_fail(e, -SPK_EFORMAT, what, "invalid Name '%s'", info->name);
	if (!spk_version_is_valid(info->version))
		return spk_fail(e, -SPK_EFORMAT, what,
				"invalid Version '%s' (expected UPSTREAM-rN)", info->version);
	if (strcmp(info->arch, "x86_64") && strcmp(info->arch, "aarch64") &&
	    strcmp(info->arch, "noarch"))
		return spk_fail(e, -SPK_EFORMAT, what,
				"invalid Arch '%s' (x86_64, aarch64 or noarch)", info->arch);
	return 0;
}

int spk_info_parse(struct spk_info *info, const char *text, size_t len, const char *what,
		   struct spk_err *e)
{
	size_t pos = 0, lineno = 0;
	unsigned seen = 0;
	char where[300], *line = NULL;
	int r = 0;

	memset(info, 0, sizeof(*info));
	info->build_date = -1;
	info->installed_size = -1;
	if (len > SPK_INFO_MAX)
		return spk_fail(e, -SPK_EFORMAT, what, "larger than %d bytes", SPK_INFO_MAX);
	if (memchr(text, '\0', len))
		return spk_fail(e, -SPK_EFORMAT, what, "contains a NUL byte");
	while (pos < len) {
		const char *start = text + pos, *nl = memchr(start, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - start) : len - pos;
		char *colon, *value;

		pos += n + (nl ? 1 : 0);
		lineno++;
		snprintf(where, sizeof(where), "%s line %zu", what, lineno);
		if (n && start[n - 1] == '\r')
			n--;
		if (n == 0 || start[0] == '#')
			continue;
		free(line);
		line = strndup(start, n);
		if (!line) {
			r = spk_fail(e, -ENOMEM, what, NULL);
			break;
		}
		colon = strchr(line, ':');
		if (!colon || !key_is_valid(line, (size_t)(colon - line))) {
			r = spk_fail(e, -SPK_EFORMAT, where, "expected 'Key: value'");
			break;
		}
		*colon = '\0';
		value = colon + 1;
		while (*value == ' ' || *value == '\t')
			value++;
		for (char *end = value + strlen(value); end > value && (end[-1] == ' ' ||
								       end[-1] == '\t');)
			*--end = '\0';
		r = take(info, line, value, where, &seen, e);
		if (r < 0)
			break;
	}
	free(line);
	if (r == 0)
		r = validate(info, what, e);
	if (r < 0)
		spk_info_release(info);
	return r;
}

static int add_kv(struct spk_buf *out, const char *key, const char *value)
{
	return value ? spk_buf_addf(out, "%s: %s\n", key, value) : 0;
}

static int add_rel(struct spk_buf *out, const char *key, const struct spk_relations *rel)
{
	int r;

	if (!rel->n)
		return 0;
	r = spk_buf_addf(out, "%s: ", key);
	if (!r)
		r = spk_relations_format(rel, out);
	if (!r)
		r = spk_buf_addc(out, '\n');
	return r;
}

int spk_info_format(const struct spk_info *info, struct spk_buf *out)
{
	int r = 0;

	r |= add_kv(out, "Name", info->name);
	r |= add_kv(out, "Version", info->version);
	r |= add_kv(out, "Arch", info->arch);
	r |= add_kv(out, "Description", info->description);
	r |= add_kv(out, "URL", info->url);
	r |= add_kv(out, "License", info->license);
	r |= add_kv(out, "Origin", info->origin);
	if (info->build_date >= 0)
		r |= spk_buf_addf(out, "Build-Date: %lld\n", info->build_date);
	if (info->installed_size >= 0)
		r |= spk_buf_addf(out, "Installed-Size: %lld\n", info->installed_size);
	r |= add_rel(out, "Depends", &info->depends);
	r |= add_rel(out, "Provides", &info->provides);
	r |= add_rel(out, "Conflicts", &info->conflicts);
	r |= add_rel(out, "Replaces", &info->replaces);
	if (info->n_allow_setuid) {
		r |= spk_buf_adds(out, "Allow-Setuid: ");
		for (size_t i = 0; i < info->n_allow_setuid; i++)
			r |= spk_buf_addf(out, "%s%s", i ? ", " : "", info->allow_setuid[i]);
		r |= spk_buf_addc(out, '\n');
	}
	for (size_t i = 0; i < info->n_extra; i++)
		r |= add_kv(out, info->extra[i].key, info->extra[i].value);
	return r ? -ENOMEM : 0;
}

bool spk_info_allows_setuid(const struct spk_info *info, const char *path)
{
	for (size_t i = 0; i < info->n_allow_setuid; i++)
		if (!strcmp(info->allow_setuid[i], path))
			return true;
	return false;
}

void spk_info_filename(const struct spk_info *info, char *buf, size_t n)
{
	snprintf(buf, n, "%s-%s-%s.tar.xz", info->name, info->version, info->arch);
}
