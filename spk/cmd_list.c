/* spk list: "NAME VERSION" per installed package, sorted by name, from the query index. */
#include "spk/common.h"

#include "libcli/report.h"
#include "libspk/dbindex.h"

#include <stdio.h>

int cmd_list(struct cli *cli, int argc, char **argv)
{
	struct spk_root root;
	struct spk_dbindex x;
	struct spk_err e = { 0 };
	int r;

	if (argc > 1)
		return report_usage("spk", "list: unexpected argument '%s'", argv[1]);
	r = open_root(cli, &root);
	if (r)
		return r;
	r = spk_dbindex_open(&x, root.fd, &e);
	spk_root_close(&root);
	if (r < 0)
		return report("spk", &e);
	for (size_t i = 0; i < spk_dbindex_count(&x); i++) {
		const char *name, *version;

		spk_dbindex_pkg(&x, i, &name, &version);
		printf("%s %s\n", name, version);
	}
	spk_dbindex_close(&x);
	return 0;
}
