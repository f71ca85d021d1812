/* spk remove [--cascade] NAME...: refuses to break a dependent unless --cascade takes it too. */
#include "spk/common.h"

#include "libcli/report.h"
#include "libspk/txn.h"

#include <string.h>

int cmd_remove(struct cli *cli, int argc, char **argv)
{
	struct spk_root root;
	struct spk_txn t;
	struct spk_err e = { 0 };
	bool cascade = false;
	int r, names = 0;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--cascade"))
			cascade = true;
		else if (argv[i][0] == '-')
			return report_usage("spk", "remove: unknown option '%s'", argv[i]);
		else
			names++;
	}
	if (!names)
		return report_usage("spk", "remove: no package names given");
	r = open_root(cli, &root);
	if (r)
		return r;
	r = spk_txn_begin(&t, &root, &e);
	t.cascade = cascade;
	for (int i = 1; r == 0 && i < argc; i++)
		if (argv[i][0] != '-')
			r = spk_txn_remove(&t, argv[i], &e);
	if (r == 0)
		r = spk_txn_plan(&t, &e);
	if (r == 0)
		r = spk_txn_commit(&t, &e);
	spk_txn_release(&t);
	spk_root_close(&root);
	return r < 0 ? report("spk", &e) : 0;
}
