#include "libspk/strmap.h"

#include "libspk/path.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

void spk_strmap_init(struct spk_strmap *m)
{
	m->slots = NULL;
	m->n = 0;
	m->cap = 0;
}

void spk_strmap_release(struct spk_strmap *m)
{
	free(m->slots);
	spk_strmap_init(m);
}

static struct spk_strmap_slot *find(const struct spk_strmap *m, const char *key)
{
	size_t mask = m->cap - 1, i = (size_t)spk_path_hash(key) & mask;

	while (m->slots[i].key && strcmp(m->slots[i].key, key))
		i = (i + 1) & mask;
	return &m->slots[i];
}

static int grow(struct spk_strmap *m)
{
	struct spk_strmap old = *m;

	m->cap = old.cap ? old.cap * 2 : 64;
	m->slots = calloc(m->cap, sizeof(*m->slots));
	if (!m->slots) {
		*m = old;
		return -ENOMEM;
	}
	m->n = 0;
	for (size_t i = 0; i < old.cap; i++)
		if (old.slots[i].key) {
			*find(m, old.slots[i].key) = old.slots[i];
			m->n++;
		}
	free(old.slots);
	return 0;
}

int spk_strmap_put(struct spk_strmap *m, const char *key, void *value)
{
	struct spk_strmap_slot *s;

	if ((m->n + 1) * 2 > m->cap && grow(m) < 0)
		return -ENOMEM;
	s = find(m, key);
	if (!s->key)
		m->n++;
	s->key = key;
	s->value = value;
	return 0;
}

void *spk_strmap_get(const struct spk_strmap *m, const char *key)
{
	return m->cap ? find(m, key)->value : NULL;
}

void spk_strmap_del(struct spk_strmap *m, const char *key)
{
	struct spk_strmap_slot *s;
	size_t mask, i, j;

	if (!m->cap)
		return;
	s = find(m, key);
	if (!s->key)
		return;
	/* Backward-shift deletion keeps every probe chain unbroken. */
	mask = m->cap - 1;
	i = (size_t)(s - m->slots);
	s->key = NULL;
	s->value = NULL;
	m->n--;
	for (j = (i + 1) & mask; m->slots[j].key; j = (j + 1) & mask) {
		size_t home = (size_t)spk_path_hash(m->slots[j].key) & mask;

		if ((j > i && (home <= i || home > j)) || (j < i && (home <= i && home > j))) {
			m->slots[i] = m->slots[j];
			m->slots[j].key = NULL;
			m->slots[j].value = NULL;
			i = j;
		}
	}
}
