/* Relation lists of .SPKINFO and the index: "name", "name OP version", comma-separated. */
#ifndef SPK_RELATION_H
#define SPK_RELATION_H

#include "libspk/err.h"

#include <stdbool.h>
#include <stddef.h>

enum spk_op { SPK_OP_ANY, SPK_OP_EQ, SPK_OP_LT, SPK_OP_GT, SPK_OP_LE, SPK_OP_GE };

struct spk_relation {
	char *name;
	enum spk_op op;
	char *version; /* NULL when op is SPK_OP_ANY */
};

struct spk_relations {
	struct spk_relation *v;
	size_t n;
};

/* Parses "a, b >= 1.0, c=2-r1" (spaces around OP allowed) into rel (empty on ""); the caller
 * releases rel. Refuses bad names, bad versions and, when provides is true, any OP but "=". */
int spk_relations_parse(struct spk_relations *rel, const char *text, bool provides,
			struct spk_err *e);
void spk_relations_release(struct spk_relations *rel);
/* Appends the canonical text ("a, b>=1.0") to out; returns 0 or -ENOMEM. */
struct spk_buf;
int spk_relations_format(const struct spk_relations *rel, struct spk_buf *out);
/* One item, canonical ("b>=1.0"), into buf of size n. */
void spk_relation_format(const struct spk_relation *r, char *buf, size_t n);

/* Does version satisfy "OP r->version"? SPK_OP_ANY always does. */
bool spk_relation_version_ok(const struct spk_relation *r, const char *version);

const char *spk_op_text(enum spk_op op);

#endif
