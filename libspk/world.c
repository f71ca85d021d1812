#include "libspk/world.h"

#include "libspk/atomic.h"
#include "libspk/buf.h"
#include "libspk/root.h"
#include "libspk/version.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define WORLD_MAX (16 << 20)

void spk_world_release(struct spk_world *w)
{
	for (size_t i = 0; i < w->n; i++)
		free(w->names[i]);
	free(w->names);
	w->names = NULL;
	w->n = 0;
}

static size_t lower_bound(const struct spk_world *w, const char *name)
{
	size_t lo = 0, hi = w->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(w->names[mid], name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

bool spk_world_has(const struct spk_world *w, const char *name)
{
	size_t i = lower_bound(w, name);

	return i < w->n && !strcmp(w->names[i], name);
}

int spk_world_add(struct spk_world *w, const char *name)
{
	size_t i = lower_bound(w, name);
	char **v, *copy;

	if (i < w->n && !strcmp(w->names[i], name))
		return 0;
	v = realloc(w->names, (w->n + 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	w->names = v;
	copy = strdup(name);
	if (!copy)
		return -ENOMEM;
	memmove(&v[i + 1], &v[i], (w->n - i) * sizeof(*v));
	v[i] = copy;
	w->n++;
	return 0;
}

void spk_world_del(struct spk_world *w, const char *name)
{
	size_t i = lower_bound(w, name);

	if (i < w->n && !strcmp(w->names[i], name)) {
		free(w->names[i]);
		memmove(&w->names[i], &w->names[i + 1], (w->n - i - 1) * sizeof(*w->names));
		w->n--;
	}
}

int spk_world_load(struct spk_world *w, int rootfd, struct spk_err *e)
{
	struct spk_buf text;
	char *p;
	int fd, r;

	w->names = NULL;
	w->n = 0;
	fd = openat(rootfd, SPK_WORLD_PATH, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return errno == ENOENT ? 0 : spk_fail(e, -errno, SPK_WORLD_PATH, NULL);
	spk_buf_init(&text, WORLD_MAX);
	r = spk_buf_read_fd(&text, fd);
	close(fd);
	if (r < 0) {
		spk_buf_release(&text);
		return spk_fail(e, r, SPK_WORLD_PATH, NULL);
	}
	p = text.data;
	for (size_t lineno = 1; p && *p; lineno++) {
		char *nl = strchr(p, '\n');

		if (nl)
			*nl = '\0';
		if (*p && *p != '#') {
			r = spk_world_add(w, p);
			if (r < 0) {
				r = spk_fail(e, r, SPK_WORLD_PATH, NULL);
				break;
			}
		}
		p = nl ? nl + 1 : NULL;
	}
	spk_buf_release(&text);
	if (r < 0)
		spk_world_release(w);
	return r;
}

int spk_world_save(const struct spk_world *w, int rootfd, bool sync, struct spk_err *e)
{
	struct spk_buf text = SPK_BUF_INIT;
	int r = 0;

	for (size_t i = 0; !r && i < w->n; i++)
		r = spk_buf_addf(&text, "%s\n", w->names[i]);
	if (r < 0) {
		spk_buf_release(&text);
		return spk_fail(e, r, SPK_WORLD_PATH, NULL);
	}
	r = spk_atomic_write(rootfd, SPK_WORLD_PATH, text.data ? text.data : "", text.len, 0644,
			     sync, e);
	spk_buf_release(&text);
	return r;
}
