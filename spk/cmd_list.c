/* spk list [--available|--upgradable]
 *   installed: "NAME VERSION" per package, sorted by name, from the query index;
 *   --available: the newest version of each package the repositories offer;
 *   --upgradable: "NAME NEWVERSION (upgradable from OLDVERSION)" for installed packages. */
#include "spk/common.h"

#include "libcli/report.h"
#include "libspk/db.h"
#include "libspk/dbindex.h"
#include "libspk/repo.h"
#include "libspk/version.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#ifndef SPK_THIN
static int by_name_then_newest(const void *a, const void *b)
{
	const struct spk_index_entry *x = *(const struct spk_index_entry *const *)a;
	const struct spk_index_entry *y = *(const struct spk_index_entry *const *)b;
	int c = strcmp(x->name, y->name);

	return c ? c : -spk_version_cmp(x->version, y->version);
}

static int list_repositories(struct cli *cli, bool upgradable)
{
	struct spk_root root;
	struct spk_repos rs;
	struct spk_db db;
	const struct spk_index_entry **all = NULL;
	struct spk_err e = { 0 };
	size_t n = 0, k = 0;
	int r = open_root(cli, &root);

	if (r)
		return r;
	spk_db_init(&db);
	r = spk_repos_config(&rs, root.fd, &e);
	if (r == 0 && (r = spk_repos_load(&rs, root.fd, (int64_t)time(NULL), &e)) == 0 &&
	    (r = spk_db_load(&db, root.fd, &e)) == 0) {
		for (size_t i = 0; i < rs.n; i++)
			n += rs.v[i].index.n;
		all = calloc(n ? n : 1, sizeof(*all));
		if (!all)
			r = spk_fail(&e, -ENOMEM, "list", NULL);
		for (size_t i = 0; all && i < rs.n; i++)
			for (size_t j = 0; j < rs.v[i].index.n; j++)
				all[k++] = &rs.v[i].index.entries[j];
	}
	if (all) {
		qsort(all, n, sizeof(*all), by_name_then_newest);
		for (size_t i = 0; i < n; i++) {
			const struct spk_dbpkg *p;

			if (i && !strcmp(all[i]->name, all[i - 1]->name))
				continue; /* an older one */
			if (!upgradable) {
				printf("%s %s\n", all[i]->name, all[i]->version);
				continue;
			}
			p = spk_db_find(&db, all[i]->name);
			if (p && spk_version_cmp(all[i]->version, p->info.version) > 0)
				printf("%s %s (upgradable from %s)\n", all[i]->name, all[i]->version,
				       p->info.version);
		}
	}
	free(all);
	spk_db_release(&db);
	if (r == 0 || rs.v)
		spk_repos_release(&rs);
	spk_root_close(&root);
	return r < 0 ? report("spk", &e) : 0;
}

#endif

int cmd_list(struct cli *cli, int argc, char **argv)
{
	struct spk_root root;
	struct spk_dbindex x;
	struct spk_err e = { 0 };
	int r;

#ifndef SPK_THIN /* the thin spk hands these to spk-full (main.c) */
	if (argc == 2 && !strcmp(argv[1], "--available"))
		return list_repositories(cli, false);
	if (argc == 2 && !strcmp(argv[1], "--upgradable"))
		return list_repositories(cli, true);
#endif
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
