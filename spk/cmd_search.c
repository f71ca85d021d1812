/* spk search TEXT: available packages whose name or description contains TEXT (any case). */
#include "spk/common.h"

#include "libcli/report.h"
#include "libspk/repo.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

int cmd_search(struct cli *cli, int argc, char **argv)
{
	struct spk_root root;
	struct spk_repos rs;
	struct spk_err e = { 0 };
	int r, found = 0;

	if (argc != 2)
		return report_usage("spk", "usage: spk search TEXT");
	r = open_root(cli, &root);
	if (r)
		return r;
	r = spk_repos_config(&rs, root.fd, &e);
	if (r == 0 && (r = spk_repos_load(&rs, root.fd, (int64_t)time(NULL), &e)) == 0) {
		for (size_t i = 0; i < rs.n; i++) {
			for (size_t k = 0; k < rs.v[i].index.n; k++) {
				const struct spk_index_entry *x = &rs.v[i].index.entries[k];

				if (!strcasestr(x->name, argv[1]) && !strcasestr(x->description, argv[1]))
					continue;
				printf("%s %s - %s\n", x->name, x->version, x->description);
				found++;
			}
		}
	}
	if (r == 0)
		spk_repos_release(&rs);
	spk_root_close(&root);
	if (r < 0)
		return report("spk", &e);
	return found ? 0 : report_msg("spk", "%s: no package matches", argv[1]);
}
