/* spk info NAME: the installed package's fields, one "Key: value" per line. */
#include "spk/common.h"

#include "libcli/report.h"
#include "libspk/db.h"

#include <stdio.h>

int cmd_info(struct cli *cli, int argc, char **argv)
{
	struct spk_root root;
	struct spk_db db;
	struct spk_buf out = SPK_BUF_INIT;
	struct spk_err e = { 0 };
	struct spk_dbpkg *p;
	int r;

	if (argc != 2)
		return report_usage("spk", "usage: spk info NAME");
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
	r = spk_info_format(&p->info, &out);
	if (r == 0)
		fwrite(out.data, 1, out.len, stdout);
	spk_buf_release(&out);
	spk_db_release(&db);
	return r < 0 ? report_msg("spk", "%s: out of memory", argv[1]) : 0;
}
