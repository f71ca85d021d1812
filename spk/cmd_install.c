/* spk install PKGFILE...: one transaction for all of them, in any order. */
#include "spk/common.h"

#include "libcli/report.h"
#include "libspk/txn.h"

#include <string.h>
#include <sys/stat.h>

static bool looks_like_file(const char *arg)
{
	struct stat st;
	size_t n = strlen(arg);

	return strchr(arg, '/') || (n > 7 && !strcmp(arg + n - 7, ".tar.xz")) ||
	       stat(arg, &st) == 0;
}

int cmd_install(struct cli *cli, int argc, char **argv)
{
	struct spk_root root;
	struct spk_txn t;
	struct spk_err e = { 0 };
	int r;

	if (argc < 2)
		return report_usage("spk", "install: no packages given");
	for (int i = 1; i < argc; i++) {
		if (argv[i][0] == '-')
			return report_usage("spk", "install: unknown option '%s'", argv[i]);
		if (!looks_like_file(argv[i]))
			return report_msg("spk", "%s: not a package file, and no repositories are "
						 "configured", argv[i]);
	}
	r = open_root(cli, &root);
	if (r)
		return r;
	r = spk_txn_begin(&t, &root, &e);
	for (int i = 1; r == 0 && i < argc; i++) {
		r = spk_txn_add_file(&t, argv[i], &e);
		if (r == 0)
			r = spk_txn_mark_explicit(&t, t.adds[t.n_adds - 1]->info.name, &e);
	}
	if (r == 0)
		r = spk_txn_plan(&t, &e);
	if (r == 0)
		r = spk_txn_commit(&t, &e);
	spk_txn_release(&t);
	spk_root_close(&root);
	return r < 0 ? report("spk", &e) : 0;
}
