/* A string-keyed hash map (open addressing). Keys are borrowed: they must outlive the map. */
#ifndef SPK_STRMAP_H
#define SPK_STRMAP_H

#include <stddef.h>

struct spk_strmap_slot {
	const char *key;
	void *value;
};

struct spk_strmap {
	struct spk_strmap_slot *slots;
	size_t n, cap; /* cap is a power of two */
};

void spk_strmap_init(struct spk_strmap *m);
void spk_strmap_release(struct spk_strmap *m);
/* Inserts or overwrites; -ENOMEM. */
int spk_strmap_put(struct spk_strmap *m, const char *key, void *value);
/* NULL when absent (so values must not be NULL). */
void *spk_strmap_get(const struct spk_strmap *m, const char *key);
void spk_strmap_del(struct spk_strmap *m, const char *key);

#endif
