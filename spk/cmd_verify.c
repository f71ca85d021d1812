/* spk verify [NAME...]: exit 0 if every installed file matches its record, else one line per
 * problem "NAME: PATH: what is wrong" and exit 1. */
#include "spk/common.h"

#include "libcli/report.h"
#include "libspk/db.h"
#include "libspk/verify.h"

#include <stdio.h>

static void print_problem(void *arg, const char *pkg, const char *path, const char *what)
{
	(void)arg;
	printf("%s: %s: %s\n", pkg, path, what);
}

int cmd_verify(struct cli *cli, int argc, char **argv)
{
	struct spk_root root;
	struct spk_db db;
	struct spk_err e = { 0 };
	size_t problems = 0;
	int r, status = 0;

	r = open_root(cli, &root);
	if (r)
		return r;
	r = spk_db_load(&db, root.fd, &e);
	if (r < 0) {
		spk_root_close(&root);
		return report("spk", &e);
	}
	if (argc > 1) {
		for (int i = 1; i < argc; i++) {
			struct spk_dbpkg *p = spk_db_find(&db, argv[i]);

			if (!p)
				status = report_msg("spk", "%s: not installed", argv[i]);
			else
				problems += spk_verify_pkg(root.fd, p, print_problem, NULL);
		}
	} else {
		for (size_t i = 0; i < db.n; i++)
			problems += spk_verify_pkg(root.fd, &db.pkgs[i], print_problem, NULL);
	}
	spk_db_release(&db);
	spk_root_close(&root);
	return problems || status ? 1 : 0;
}
