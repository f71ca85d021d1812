/* What the spk commands share: opening the root with the CLI's callbacks. */
#ifndef SPK_COMMON_H
#define SPK_COMMON_H

#include "spk/cli.h"

#include "libspk/root.h"

/* Opens cli->root, wires messages to stderr/stdout, and finishes any interrupted transaction.
 * Returns 0, or the exit code after reporting. */
int open_root(struct cli *cli, struct spk_root *root);

#endif
