/* spk owner PATH...: "NAME VERSION" for each path (as seen inside the root). */
#include "spk/common.h"

#include "libcli/report.h"
#include "libspk/dbindex.h"
#include "libspk/path.h"

#include <stdio.h>

static void print_owner(void *arg, const char *name, const char *version)
{
	(void)arg;
	printf("%s %s\n", name, version);
}

int cmd_owner(struct cli *cli, int argc, char **argv)
{
	struct spk_root root;
	struct spk_dbindex x;
	struct spk_err e = { 0 };
	int r, status = 0;

	if (argc < 2)
		return report_usage("spk", "owner: no paths given");
	r = open_root(cli, &root);
	if (r)
		return r;
	r = spk_dbindex_open(&x, root.fd, &e);
	spk_root_close(&root);
	if (r < 0)
		return report("spk", &e);
	for (int i = 1; i < argc; i++) {
		char rel[SPK_PATH_MAX];

		if (spk_path_normalize(argv[i], rel, sizeof(rel)) < 0) {
			status = report_msg("spk", "%s: not a valid path inside the root", argv[i]);
			continue;
		}
		if (!spk_dbindex_owners(&x, rel, print_owner, NULL))
			status = report_msg("spk", "%s: not owned by any package", argv[i]);
	}
	spk_dbindex_close(&x);
	return status;
}
