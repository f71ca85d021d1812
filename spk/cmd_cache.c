/* spk cache clean: empties the download cache, {root}/var/cache/spk/. */
#include "spk/cli.h"
#include "spk/common.h"

#include "libcli/progress.h"
#include "libcli/report.h"
#include "libspk/cache.h"

#include <stdio.h>
#include <string.h>

int cmd_cache(struct cli *cli, int argc, char **argv)
{
	struct spk_root root;
	struct spk_cache cache;
	struct spk_err e = { 0 };
	char size[32];
	uint64_t bytes;
	size_t files;
	int r;

	if (argc != 2 || strcmp(argv[1], "clean"))
		return report_usage("spk", "cache: expected 'clean' (spk cache clean)");
	r = open_root(cli, &root);
	if (r)
		return r;
	/* Under the lock: another spk's download in progress is never pulled from under it. */
	r = spk_cache_open(&cache, cli->root, false, &e);
	if (r == 0 && !cli->dry_run)
		r = spk_root_lock(&root, &e);
	if (r == 0)
		r = spk_cache_clean(&cache, cli->dry_run, &files, &bytes, &e);
	spk_cache_release(&cache);
	spk_root_close(&root);
	if (r < 0)
		return report("spk", &e);
	if (!cli->quiet) {
		progress_bytes(size, sizeof(size), (double)bytes);
		printf("%s %zu file%s (%s) from the download cache\n",
		       cli->dry_run ? "would remove" : "removed", files, files == 1 ? "" : "s", size);
	}
	return 0;
}
