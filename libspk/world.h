/* {root}/var/lib/spk/world: the names the user asked for explicitly, one a line, sorted. */
#ifndef SPK_WORLD_H
#define SPK_WORLD_H

#include "libspk/err.h"

#include <stdbool.h>
#include <stddef.h>

struct spk_world {
	char **names;
	size_t n;
};

int spk_world_load(struct spk_world *w, int rootfd, struct spk_err *e);
void spk_world_release(struct spk_world *w);
bool spk_world_has(const struct spk_world *w, const char *name);
int spk_world_add(struct spk_world *w, const char *name);
void spk_world_del(struct spk_world *w, const char *name);
int spk_world_save(const struct spk_world *w, int rootfd, bool sync, struct spk_err *e);

#endif
