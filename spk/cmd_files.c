/* spk files NAME: one absolute path (as seen inside the root) per line, directories included. */
#include "spk/common.h"

#include "libcli/report.h"
#include "libspk/db.h"

#include <stdio.h>

int cmd_files(struct cli *cli, int argc, char **argv)
{
	struct spk_root root;
	struct spk_db db;
	struct spk_err e = { 0 };
	struct spk_dbpkg *p;
	int r;

	if (argc != 2)
		return report_usage("spk", "usage: spk files NAME");
	r = open_root(cli, &root);
	if (r)
		return r;
	r = spk_db_load(&db, root.fd, &e);
	spk_root_close(&root);
	if (r < 0)
		return report("spk", &e);
	p = spk_db_find(&db, argv[1]);
	if (!p) {
		spk_db_release(&db);
		return report_msg("spk", "%s: not installed", argv[1]);
	}
	for (size_t i = 0; i < p->files.n; i++)
		printf("/%s\n", p->files.v[i].path);
	spk_db_release(&db);
	return 0;
}
